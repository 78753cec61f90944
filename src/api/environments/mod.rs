//! Environments: the software a run needs, in numbered versions.

mod delete_version;
mod get;
mod list;
mod register;

pub use delete_version::{delete_environment_version, DeleteEnvironmentVersion};
pub use get::{get_environment, GetEnvironment};
pub use list::{list_environments, ListEnvironments};
pub use register::{register_environment, RegisterEnvironment};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentVersion {
    pub name: String,
    pub version: i64,
    pub base_image: String,
    pub conda_spec: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

/// Each environment's latest version, a page at a time in name order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentsPage {
    pub workspace: WorkspaceCrumbs,
    pub environments: Vec<EnvironmentVersion>,
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

/// One environment with all its versions, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentView {
    pub workspace: WorkspaceCrumbs,
    pub versions: Vec<EnvironmentVersion>,
    /// Newest first; `None` for those who may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// An environment's event in a few words.
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let version = details["version"].as_i64().unwrap_or_default();
    if action == Action::EnvironmentsDelete.as_str() {
        format!("deleted version {version}")
    } else {
        let image = details["image"].as_str().unwrap_or_default();
        format!("registered version {version} on {image}")
    }
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const BASE_IMAGE: &str = "base_image";
    pub const CONDA_SPEC: &str = "conda_spec";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
}

#[cfg(feature = "ssr")]
pub(crate) fn version(r: crate::server::db::environments::EnvironmentRecord) -> EnvironmentVersion {
    EnvironmentVersion {
        name: r.name,
        version: r.version,
        base_image: r.base_image,
        conda_spec: r.conda_spec,
        description: r.description,
        tags: r.tags,
        created_by: r.created_by,
        created_at: r.created_at,
    }
}
