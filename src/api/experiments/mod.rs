//! Experiments: named groups of runs in a workspace.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::{create_experiment, CreateExperiment};
pub use delete::{delete_experiment, DeleteExperiment};
pub use get::{get_experiment, GetExperiment};
pub use list::{list_experiments, ListExperiments};
pub use update::{update_experiment, UpdateExperiment};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperimentSummary {
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub run_count: i64,
    pub last_run_at: Option<i64>,
}

/// One page of a workspace's experiments, in name order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperimentsPage {
    pub workspace: WorkspaceCrumbs,
    pub experiments: Vec<ExperimentSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperimentView {
    pub workspace: WorkspaceCrumbs,
    pub experiment: ExperimentSummary,
    /// Newest first; `None` for those who may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// An experiment's event in a few words.
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    if action == Action::ExperimentsDelete.as_str() {
        return match details["runs"].as_i64() {
            Some(1) => "deleted the experiment and its run".to_owned(),
            Some(n) if n > 1 => format!("deleted the experiment and its {n} runs"),
            _ => "deleted the experiment".to_owned(),
        };
    }
    if details["created"].as_bool() == Some(true) {
        "created the experiment".to_owned()
    } else {
        "changed the description and tags".to_owned()
    }
}

pub fn experiment_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/experiments/{name}", workspace.url())
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const CONFIRM_NAME: &str = "confirm_name";
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(
    record: crate::server::db::experiments::ExperimentRecord,
) -> ExperimentSummary {
    ExperimentSummary {
        name: record.name,
        description: record.description,
        tags: record.tags,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
        run_count: record.run_count,
        last_run_at: record.last_run_at,
    }
}

/// The message for a failed change, and the log entry for an unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::experiments::ChangeError,
) -> crate::error::AppError {
    use crate::error::AppError;
    use crate::server::db::experiments::ChangeError;
    match error {
        ChangeError::NameTaken => AppError::conflict(
            fields::NAME,
            "This workspace already has an experiment by that name.",
        ),
        ChangeError::NameHeldByDeleted { purge_after } => AppError::conflict(
            fields::NAME,
            format!(
                "An experiment by that name was deleted through the tracking API. It can be \
                 restored with mlflow (restore_experiment) until {}; its name is free after that.",
                crate::domain::format::date(purge_after)
            ),
        ),
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::Database(e) => crate::server::error::internal("changing an experiment", e),
    }
}
