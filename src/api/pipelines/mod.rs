//! Pipelines: a name and a graph of steps, changed under PipelinesWrite and audited; runs of
//! them submitted with a copy of the graph, whose steps move forward one status at a time.

mod cancel_run;
mod create;
mod delete;
mod get;
mod get_run;
mod list;
#[cfg(feature = "ssr")]
mod references;
mod set_step;
mod submit;
mod update;

pub use cancel_run::{cancel_pipeline_run, CancelPipelineRun};
pub use create::{create_pipeline, CreatePipeline};
pub use delete::{delete_pipeline, DeletePipeline};
pub use get::{get_pipeline, GetPipeline};
pub use get_run::{get_pipeline_run, GetPipelineRun};
pub use list::{list_pipelines, ListPipelines};
pub use set_step::{set_pipeline_step, SetPipelineStep};
pub use submit::{submit_pipeline, SubmitPipeline};
pub use update::{update_pipeline, UpdatePipeline};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::pipeline::PipelineGraph;
use crate::domain::RunStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSummary {
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub step_count: i64,
    /// The newest run's status; `None` before the first run.
    pub last_run_status: Option<RunStatus>,
    pub run_count: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One page of a workspace's pipelines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelinesPage {
    pub workspace: WorkspaceCrumbs,
    pub pipelines: Vec<PipelineSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineRunSummary {
    pub number: i64,
    pub status: RunStatus,
    pub submitted_by: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub duration: Option<i64>,
}

/// A compute target or environment the pipeline's steps name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedItem {
    /// "Compute" or "Environment".
    pub kind: String,
    /// As the steps name it (`sklearn:2`).
    pub name: String,
    /// Its page; `None` when it is gone (or the person may not see that kind).
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineView {
    pub workspace: WorkspaceCrumbs,
    pub pipeline: PipelineSummary,
    pub graph: PipelineGraph,
    pub runs: Vec<PipelineRunSummary>,
    /// The value of `after` for the next page of runs, when there is one.
    pub next_runs_after: Option<String>,
    pub related: Vec<RelatedItem>,
    /// Newest first; `None` when the person may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRun {
    pub name: String,
    pub status: RunStatus,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineRunView {
    pub workspace: WorkspaceCrumbs,
    pub pipeline: String,
    pub run: PipelineRunSummary,
    /// The graph the run was submitted with.
    pub graph: PipelineGraph,
    /// In graph order.
    pub steps: Vec<StepRun>,
    pub permitted: Vec<Action>,
}

pub fn pipelines_url(workspace: &WorkspaceCrumbs) -> String {
    format!("{}/pipelines", workspace.url())
}

pub fn pipeline_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/pipelines/{name}", workspace.url())
}

pub fn pipeline_run_url(workspace: &WorkspaceCrumbs, name: &str, number: i64) -> String {
    format!("{}/pipelines/{name}/runs/{number}", workspace.url())
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const STEPS: &str = "steps";
    pub const STATUS: &str = "status";
    pub const CONFIRM_NAME: &str = "confirm_name";
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(record: crate::server::db::pipelines::PipelineRecord) -> PipelineSummary {
    PipelineSummary {
        name: record.name,
        description: record.description,
        tags: record.tags,
        step_count: record.step_count,
        last_run_status: record.last_run_status,
        run_count: record.run_count,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn run_summary(
    record: &crate::server::db::pipeline_runs::PipelineRunRecord,
) -> PipelineRunSummary {
    PipelineRunSummary {
        number: record.number,
        status: record.status,
        submitted_by: record.submitted_by.clone(),
        created_at: record.created_at,
        started_at: record.started_at,
        ended_at: record.ended_at,
        duration: record.duration,
    }
}

/// The run number in a URL or form.
#[cfg(feature = "ssr")]
pub(crate) fn run_number(text: &str) -> Result<i64, crate::error::AppError> {
    text.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(crate::error::AppError::not_found)
}

/// The message for a failed pipeline change, and the log entry for an unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::pipelines::ChangeError,
) -> crate::error::AppError {
    use crate::error::AppError;
    use crate::server::db::pipelines::ChangeError;
    match error {
        ChangeError::NameTaken => {
            AppError::conflict(fields::NAME, "This workspace already has a pipeline by that name.")
        }
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::Database(e) => crate::server::error::internal("changing a pipeline", e),
    }
}

/// The message for a refused run change (beside the status field), and the log entry for an
/// unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn run_change_error(
    error: crate::server::db::pipeline_runs::ChangeError,
) -> crate::error::AppError {
    use crate::error::AppError;
    use crate::server::db::pipeline_runs::ChangeError;
    match error {
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::Refused(invalid) => AppError::invalid_field(fields::STATUS, invalid),
        ChangeError::Database(e) => crate::server::error::internal("changing a pipeline run", e),
    }
}
