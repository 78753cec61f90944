//! Datastores: where a workspace's files live.

mod create;
mod delete;
mod get;
mod list;
mod secrets;

pub use create::{create_datastore, CreateDatastore};
pub use delete::{delete_datastore, DeleteDatastore};
pub use get::{get_datastore, GetDatastore};
pub use list::{list_datastores, ListDatastores};
pub use secrets::{datastore_secrets, DatastoreSecrets as DatastoreSecretsFn};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::datastore::DatastoreKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatastoreView {
    pub name: String,
    pub kind: DatastoreKind,
    pub path: String,
    pub bucket: String,
    pub endpoint: String,
    pub region: String,
    /// Whether credentials are stored (never the credentials themselves).
    pub has_credentials: bool,
    pub description: String,
    pub is_default: bool,
    pub created_by: String,
    pub created_at: i64,
    pub output_count: i64,
    pub model_file_count: i64,
}

/// One datastore's page: its fields, and (for those who may read the activity log) its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatastoreDetail {
    pub workspace: WorkspaceCrumbs,
    pub datastore: DatastoreView,
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

pub fn datastore_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/datastores/{name}", workspace.url())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatastoresPage {
    pub workspace: WorkspaceCrumbs,
    pub datastores: Vec<DatastoreView>,
    pub permitted: Vec<Action>,
}

/// A datastore's credentials, for holders of `datastores/listsecrets/action`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatastoreCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The secret key stays out of logs.
impl std::fmt::Debug for DatastoreCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatastoreCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const KIND: &str = "kind";
    pub const PATH: &str = "path";
    pub const BUCKET: &str = "bucket";
    pub const ENDPOINT: &str = "endpoint";
    pub const REGION: &str = "region";
    pub const ACCESS_KEY_ID: &str = "access_key_id";
    pub const SECRET_ACCESS_KEY: &str = "secret_access_key";
    pub const DESCRIPTION: &str = "description";
}

#[cfg(feature = "ssr")]
pub(crate) fn view(record: crate::server::db::datastores::DatastoreRecord) -> DatastoreView {
    DatastoreView {
        name: record.name,
        kind: record.kind,
        path: record.path,
        bucket: record.bucket,
        endpoint: record.endpoint,
        region: record.region,
        has_credentials: record.has_credentials,
        description: record.description,
        is_default: record.is_default,
        created_by: record.created_by,
        created_at: record.created_at,
        output_count: record.output_count,
        model_file_count: record.model_file_count,
    }
}

/// An audit event about a datastore as a sentence.
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    if action == Action::DatastoresListSecrets.as_str() {
        return "read the stored credentials".to_owned();
    }
    if action == Action::DatastoresDelete.as_str() {
        return "deleted the datastore".to_owned();
    }
    let kind = details["kind"].as_str().unwrap_or("a");
    match details["credentials"].as_bool() {
        Some(true) => format!("registered the {kind} datastore with credentials"),
        _ => format!("registered the {kind} datastore"),
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::datastores::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::datastores::ChangeError;
    match error {
        ChangeError::NameTaken => {
            AppError::conflict(fields::NAME, "This workspace already has a datastore by that name.")
        }
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::IsDefault => AppError::new(
            ErrorKind::Conflict,
            "The default datastore holds the workspace's run outputs and cannot be deleted.",
        ),
        ChangeError::InUse(n) => AppError::new(
            ErrorKind::Conflict,
            format!("This datastore holds {n} run output(s); delete those runs first."),
        ),
        ChangeError::Database(e) => crate::server::error::internal("changing a datastore", e),
    }
}
