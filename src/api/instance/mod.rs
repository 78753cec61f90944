//! Instance-wide settings, for the instance admin.

mod settings;

pub use settings::{
    instance_settings, save_instance_settings, InstanceSettings, SaveInstanceSettings,
};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSettingsView {
    pub anyone_may_create_organizations: bool,
}
