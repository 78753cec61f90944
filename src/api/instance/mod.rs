//! Instance-wide settings, for the instance admin.

mod accounts;
mod outbox;
mod settings;
mod setup;
mod unconfirmed;

pub use accounts::*;
pub use outbox::{outbox, Outbox};
pub use setup::*;
pub use unconfirmed::{confirm_account, unconfirmed_accounts, ConfirmAccount, UnconfirmedAccounts};

/// The outbox, and whether a mail server delivers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    pub mail_configured: bool,
    pub messages: Vec<OutboxMessage>,
}
pub use settings::{
    instance_settings, save_instance_settings, InstanceSettings, SaveInstanceSettings,
};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSettingsView {
    pub anyone_may_create_organizations: bool,
    pub open_sign_up: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// An account waiting for its address to be confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnconfirmedAccount {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub created_at: i64,
}
