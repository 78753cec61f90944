//! Data assets: named, numbered versions of data, each an uploaded file or a URI, with a
//! preview of the first rows of uploaded tables.

mod delete;
mod delete_version;
mod get;
mod get_version;
mod list;
mod register;
mod update;

pub use delete::{delete_dataset, DeleteDataset};
pub use delete_version::{delete_dataset_version, DeleteDatasetVersion};
pub use get::{get_dataset, GetDataset};
pub use get_version::{get_dataset_version, GetDatasetVersion};
pub use list::{list_datasets, ListDatasets};
pub use register::{register_dataset, RegisterDataset};
pub use update::{update_dataset_version, UpdateDatasetVersion};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::dataset::DataFormat;

/// A data asset as lists show it: its latest version's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetSummary {
    pub name: String,
    pub latest_version: i64,
    pub format: DataFormat,
    /// Bytes of the latest version when it was uploaded.
    pub size: Option<i64>,
    /// When the latest version was registered.
    pub latest_at: i64,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

/// One page of a workspace's data assets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetsPage {
    pub workspace: WorkspaceCrumbs,
    pub datasets: Vec<DatasetSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetVersionView {
    pub version: i64,
    pub format: DataFormat,
    /// Where the data is: the URI, or for an upload the path to download it from.
    pub uri: String,
    pub uploaded: bool,
    /// The datastore of the workspace the data is in (uploads and azureml:// URIs).
    pub datastore: Option<String>,
    pub file_name: String,
    pub size: Option<i64>,
    pub sha256: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetView {
    pub workspace: WorkspaceCrumbs,
    pub dataset: DatasetSummary,
    /// Newest first.
    pub versions: Vec<DatasetVersionView>,
    /// The latest events about the asset, newest first; `None` for those who may not read the
    /// activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// The first rows of an uploaded table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The file has rows past those shown.
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preview {
    /// Not an uploaded CSV, JSON lines or Parquet file.
    None,
    Table(PreviewTable),
    /// Why there is no table: "cannot preview: …".
    Unavailable(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPage {
    pub workspace: WorkspaceCrumbs,
    pub name: String,
    pub version: DatasetVersionView,
    /// The asset's other version numbers, newest first.
    pub other_versions: Vec<i64>,
    pub preview: Preview,
    pub permitted: Vec<Action>,
}

pub fn dataset_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/datasets/{name}", workspace.url())
}

pub fn version_url(workspace: &WorkspaceCrumbs, name: &str, version: i64) -> String {
    format!("{}/versions/{version}", dataset_url(workspace, name))
}

/// Where an uploaded version is downloaded from (authorized like the asset's page).
pub fn download_url(
    workspace: &WorkspaceCrumbs,
    name: &str,
    version: &DatasetVersionView,
) -> String {
    let file = crate::domain::format::query_value(&version.file_name);
    format!("/files{}/datasets/{name}/versions/{}/{file}", workspace.url(), version.version)
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const FORMAT: &str = "format";
    pub const URI: &str = "uri";
    pub const CONTENT: &str = "content";
    pub const FILE_NAME: &str = "file_name";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const VERSION: &str = "version";
    pub const CONFIRM_NAME: &str = "confirm_name";
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(r: crate::server::db::datasets::DatasetRecord) -> DatasetSummary {
    DatasetSummary {
        name: r.name,
        latest_version: r.latest_version,
        format: r.format,
        size: r.size,
        latest_at: r.latest_at,
        description: r.description,
        tags: r.tags,
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn version_view(
    r: crate::server::db::dataset_versions::VersionRecord,
) -> DatasetVersionView {
    use crate::domain::dataset::DataUri;
    let datastore = match &r.datastore_dir {
        Some(_) => Some(crate::domain::datastore::DEFAULT_DATASTORE.to_owned()),
        None => DataUri::parse(&r.uri).ok().and_then(|u| u.datastore().map(str::to_owned)),
    };
    DatasetVersionView {
        version: r.version,
        format: r.format,
        uploaded: r.is_upload(),
        uri: r.uri,
        datastore,
        file_name: r.file_name,
        size: r.size,
        sha256: r.sha256,
        description: r.description,
        tags: r.tags,
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

/// An audit event about a data asset as a sentence: "registered version 2 (csv, iris.csv)".
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let version = details["version"].as_i64();
    if action == Action::DatasetsDelete.as_str() {
        return match version {
            Some(v) => format!("deleted version {v}"),
            None => "deleted the data asset".to_owned(),
        };
    }
    match version {
        Some(v) if details["updated"].as_bool() == Some(true) => {
            format!("changed the description and tags of version {v}")
        }
        Some(v) => {
            let format = details["format"].as_str().unwrap_or_default();
            let source = details["file"].as_str().or(details["uri"].as_str()).unwrap_or_default();
            format!("registered version {v} ({format}, {source})")
        }
        None => "changed the data asset".to_owned(),
    }
}

/// The message for a failed change, and the log entry for an unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::datasets::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::datasets::ChangeError;
    match error {
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::DatastoreNotFound(name) => AppError {
            kind: ErrorKind::Invalid,
            message: format!("This workspace has no datastore named {name}."),
            field: Some(fields::URI.to_owned()),
            retry_after: None,
        },
        ChangeError::Database(e) => crate::server::error::internal("changing a data asset", e),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        let write = Action::DatasetsWrite.as_str();
        assert_eq!(
            describe_event(write, r#"{"version":2,"format":"csv","file":"iris.csv"}"#),
            "registered version 2 (csv, iris.csv)"
        );
        assert_eq!(
            describe_event(write, r#"{"version":1,"updated":true}"#),
            "changed the description and tags of version 1"
        );
        let delete = Action::DatasetsDelete.as_str();
        assert_eq!(describe_event(delete, r#"{"version":3}"#), "deleted version 3");
        assert_eq!(describe_event(delete, r#"{"versions":3}"#), "deleted the data asset");
    }
}
