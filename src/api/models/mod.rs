//! Registered models and their versions: what a run produced, kept under a name, numbered,
//! and moved through stages towards production.

#[cfg(feature = "ssr")]
mod artifact;
mod delete;
mod delete_version;
mod get;
mod list;
mod register;
mod set_stage;
mod update;

pub use delete::{delete_model, DeleteModel};
pub use delete_version::{delete_model_version, DeleteModelVersion};
pub use get::{get_model, GetModel};
pub use list::{list_models, ListModels};
pub use register::{register_model, RegisterModel};
pub use set_stage::{set_model_stage, SetModelStage};
pub use update::{update_model, update_model_version, UpdateModel, UpdateModelVersion};

use serde::{Deserialize, Serialize};

use crate::api::item_activity::ItemEvent;
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::ModelStage;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// 0 when the model has no versions.
    pub latest_version: i64,
    pub version_count: i64,
    /// The stages its versions are in (filled in lists).
    pub stages: Vec<ModelStage>,
}

/// One page of a workspace's models, in name order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelsPage {
    pub workspace: WorkspaceCrumbs,
    pub models: Vec<ModelSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

/// Where a version came from, as far as the reader may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceRunView {
    None,
    /// The run's id (in its URL) and display name.
    Run {
        name: String,
        display_name: String,
    },
    /// The run was deleted after the version was registered.
    Deleted {
        name: String,
    },
    /// Registered from a run the reader may not see.
    Hidden,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelVersionView {
    pub version: i64,
    pub stage: ModelStage,
    pub source_run: SourceRunView,
    pub framework: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    /// Its artifact files, by path.
    pub files: Vec<ModelFile>,
}

/// A file of a model version; downloaded from [`model_file_url`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Relative to the version, '/'-separated.
    pub path: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelView {
    pub workspace: WorkspaceCrumbs,
    pub model: ModelSummary,
    /// Newest first.
    pub versions: Vec<ModelVersionView>,
    /// The latest events about the model, newest first; `None` for those who may not read
    /// the activity log.
    pub activity: Option<Vec<ItemEvent>>,
    /// The deployments serving its versions; empty for those who may not read endpoints.
    pub deployments: Vec<crate::api::endpoints::ServingDeployment>,
    pub permitted: Vec<Action>,
}

pub fn model_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/models/{name}", workspace.url())
}

/// Where a version's file is downloaded from (`path` already percent-encoded per segment).
pub fn model_file_url(workspace: &WorkspaceCrumbs, name: &str, version: i64, path: &str) -> String {
    format!("/files{}/models/{name}/versions/{version}/{path}", workspace.url())
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const SOURCE_RUN: &str = "source_run";
    pub const FRAMEWORK: &str = "framework";
    pub const VERSION_DESCRIPTION: &str = "version_description";
    pub const VERSION: &str = "version";
    pub const STAGE: &str = "stage";
    pub const CONFIRM_NAME: &str = "confirm_name";
    pub const ARTIFACT_PATH: &str = "artifact_path";
    pub const FILE_NAME: &str = "file_name";
    pub const CONTENT: &str = "content";
}

#[cfg(feature = "ssr")]
pub(crate) fn file_view(record: crate::server::db::model_version_files::FileRecord) -> ModelFile {
    ModelFile { path: record.path, size: record.size, sha256: record.sha256 }
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(record: crate::server::db::models::ModelRecord) -> ModelSummary {
    ModelSummary {
        name: record.name,
        description: record.description,
        tags: record.tags,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
        latest_version: record.latest_version,
        version_count: record.version_count,
        stages: record.stages,
    }
}

/// A version as the reader may see it: the source run only for those who may read runs.
#[cfg(feature = "ssr")]
pub(crate) fn version_view(
    record: crate::server::db::model_versions::VersionRecord,
    files: Vec<ModelFile>,
    may_read_runs: bool,
) -> ModelVersionView {
    use crate::server::db::model_versions::SourceRun;
    let source_run = match record.source_run {
        SourceRun::None => SourceRunView::None,
        _ if !may_read_runs => SourceRunView::Hidden,
        SourceRun::Run { name, display_name } => SourceRunView::Run { name, display_name },
        SourceRun::Deleted { name } => SourceRunView::Deleted { name },
    };
    ModelVersionView {
        version: record.version,
        stage: record.stage,
        source_run,
        framework: record.framework,
        description: record.description,
        tags: record.tags,
        created_by: record.created_by,
        created_at: record.created_at,
        files,
    }
}

/// An audit event about a model as a sentence: "registered version 2 from run …".
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let version = details["version"].as_i64();
    let text = |key: &str| details[key].as_str().map(str::to_owned);
    if action == Action::ModelsStageWrite.as_str() {
        let moved = format!(
            "moved version {} from {} to {}",
            version.unwrap_or_default(),
            text("from").unwrap_or_default(),
            text("to").unwrap_or_default()
        );
        return match details["archived"].as_i64() {
            Some(archived) => format!("{moved} (version {archived} archived)"),
            None => moved,
        };
    }
    if action == Action::ModelsDelete.as_str() {
        return match version {
            Some(v) => format!("deleted version {v}"),
            None => "deleted the model".to_owned(),
        };
    }
    match (version, text("run")) {
        (Some(v), _) if details["updated"].as_bool() == Some(true) => {
            format!("changed the description and tags of version {v}")
        }
        (Some(v), Some(run)) => match text("artifact") {
            Some(path) => format!("registered version {v} from {path} of run {run}"),
            None => format!("registered version {v} from run {run}"),
        },
        (Some(v), None) => match text("artifact") {
            Some(file) => format!("registered version {v} with the file {file}"),
            None => format!("registered version {v}"),
        },
        (None, _) => "changed the description and tags".to_owned(),
    }
}

/// The message for a failed change, and the log entry for an unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::models::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::models::ChangeError;
    match error {
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::RunNotFound => AppError {
            kind: ErrorKind::NotFound,
            message: "This workspace has no run with that id.".to_owned(),
            field: Some(fields::SOURCE_RUN.to_owned()),
            retry_after: None,
        },
        ChangeError::ArtifactNotFound(path) => AppError {
            kind: ErrorKind::NotFound,
            message: format!("The run has no output at {path}, nor a folder of outputs there."),
            field: Some(fields::ARTIFACT_PATH.to_owned()),
            retry_after: None,
        },
        ChangeError::Deployed { endpoint, deployment, version } => AppError::new(
            ErrorKind::Conflict,
            format!(
                "Version {version} is served by deployment {deployment} of endpoint {endpoint}; \
                 delete that deployment (or point it at another version) first."
            ),
        ),
        ChangeError::Database(e) => crate::server::error::internal("changing a model", e),
    }
}

/// [`change_error`] for a deletion: the endpoint that refused it is named only to those who may
/// read endpoints.
#[cfg(feature = "ssr")]
pub(crate) fn delete_error(
    error: crate::server::db::models::ChangeError,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::models::ChangeError;
    match error {
        ChangeError::Deployed { version, .. } if !ws.permits(Action::EndpointsRead) => {
            AppError::new(
                ErrorKind::Conflict,
                format!("Version {version} is served by an online endpoint's deployment."),
            )
        }
        error => change_error(error),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        let stage = Action::ModelsStageWrite.as_str();
        assert_eq!(
            describe_event(
                stage,
                r#"{"version":2,"from":"Staging","to":"Production","archived":1}"#
            ),
            "moved version 2 from Staging to Production (version 1 archived)"
        );
        let write = Action::ModelsWrite.as_str();
        assert_eq!(
            describe_event(write, r#"{"version":1,"run":"abc","created":true}"#),
            "registered version 1 from run abc"
        );
        assert_eq!(
            describe_event(write, r#"{"version":2,"run":"abc","artifact":"outputs/model"}"#),
            "registered version 2 from outputs/model of run abc"
        );
        assert_eq!(
            describe_event(write, r#"{"version":3,"run":null,"artifact":"model.onnx"}"#),
            "registered version 3 with the file model.onnx"
        );
        assert_eq!(
            describe_event(write, r#"{"updated":true}"#),
            "changed the description and tags"
        );
        let delete = Action::ModelsDelete.as_str();
        assert_eq!(describe_event(delete, r#"{"version":3,"deleted":true}"#), "deleted version 3");
    }
}
