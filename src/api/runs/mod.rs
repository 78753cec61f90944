//! Runs: what a training script did, with its parameters, metrics, logs and state.

mod create;
mod delete;
mod get;
mod list;
mod logs;
mod outputs;
mod series;
mod snapshot;
#[cfg(feature = "ssr")]
mod snapshot_store;
mod update;
mod upload_output;

pub use create::{create_run, CreateRun};
pub use delete::{delete_run, DeleteRun};
pub use get::{get_run, GetRun};
pub use list::{list_runs, ListRuns};
pub use logs::{run_logs, RunLogs};
pub use outputs::{run_outputs, RunOutputs};
pub use series::{run_series, RunSeries};
pub use snapshot::{
    fields as snapshot_fields, run_snapshot, upload_snapshot, FileContent, OpenFile, RunSnapshot,
    SnapshotSummary, SnapshotView, UploadSnapshot, SHOWN_BYTES,
};
pub use update::{update_run, UpdateRun};
pub use upload_output::{upload_output, UploadOutput};

use serde::{Deserialize, Serialize};

use crate::api::experiments::ExperimentSummary;
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::RunStatus;

/// The latest value and range of one metric of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricValue {
    pub key: String,
    pub last: f64,
    pub step: i64,
    pub min: f64,
    pub max: f64,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// The run's id in URLs.
    pub name: String,
    pub display_name: String,
    pub experiment: String,
    pub status: RunStatus,
    pub user_name: String,
    pub entry_point: String,
    pub params: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub duration: Option<i64>,
    pub metrics: Vec<MetricValue>,
}

impl RunRow {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn metric(&self, key: &str) -> Option<&MetricValue> {
        self.metrics.iter().find(|m| m.key == key)
    }
}

/// One page of runs, with the parameter and metric names that occur on it (for choosing
/// columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunsPage {
    pub workspace: WorkspaceCrumbs,
    /// The experiment, when the list is of one experiment's runs.
    pub experiment: Option<ExperimentSummary>,
    pub runs: Vec<RunRow>,
    pub next_after: Option<String>,
    pub param_keys: Vec<String>,
    pub metric_keys: Vec<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub workspace: WorkspaceCrumbs,
    pub run: RunRow,
    /// The model versions registered from this run, as (model name, version); empty for
    /// those who may not read models.
    pub model_versions: Vec<(String, i64)>,
    /// The code the run ran with, when a snapshot was stored.
    pub snapshot: Option<SnapshotSummary>,
    /// Newest first; `None` for those who may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

/// A run's event in a few words.
#[cfg(feature = "ssr")]
pub(crate) fn describe_event(action: &str, details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let text = |key: &str| details[key].as_str().unwrap_or_default().to_owned();
    if action == Action::RunsSubmit.as_str() {
        return format!("submitted the run to {}", text("experiment"));
    }
    if action == Action::RunsDelete.as_str() {
        return "deleted the run".to_owned();
    }
    if let Some(archive) = details["snapshot"].as_str() {
        return format!("stored the code snapshot {archive}");
    }
    if details["output"].is_string() {
        let size = crate::domain::format::file_size(details["size"].as_i64().unwrap_or_default());
        return format!("uploaded the output {} ({size})", text("output"));
    }
    format!("moved the run from {} to {}", text("from"), text("to"))
}

/// One metric of one run as (step, value) points, thinned for drawing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSeries {
    pub run: String,
    pub run_display_name: String,
    pub key: String,
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogChunkView {
    pub seq: i64,
    pub body: String,
    pub at: i64,
}

/// Log text after a position, and whether more may come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogsView {
    pub chunks: Vec<LogChunkView>,
    pub status: RunStatus,
}

/// A file a run wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub path: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

pub fn run_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/runs/{name}", workspace.url())
}

pub mod fields {
    pub const EXPERIMENT: &str = "experiment";
    pub const DISPLAY_NAME: &str = "display_name";
    pub const ENTRY_POINT: &str = "entry_point";
    pub const PARAMS: &str = "params";
    pub const TAGS: &str = "tags";
    pub const STATUS: &str = "status";
    pub const METRICS: &str = "metrics";
    pub const LOG: &str = "log";
}

/// At most this many runs are compared or charted together.
pub const MAX_COMPARED: usize = 10;

#[cfg(feature = "ssr")]
pub(crate) fn row(
    record: crate::server::db::runs::RunRecord,
    metrics: Vec<crate::server::db::run_metrics::MetricSummary>,
) -> RunRow {
    RunRow {
        name: record.name,
        display_name: record.display_name,
        experiment: record.experiment,
        status: record.status,
        user_name: record.user_name,
        entry_point: record.entry_point,
        params: record.params,
        tags: record.tags,
        created_at: record.created_at,
        started_at: record.started_at,
        ended_at: record.ended_at,
        duration: record.duration,
        metrics: metrics
            .into_iter()
            .map(|m| MetricValue {
                key: m.key,
                last: m.last_value,
                step: m.last_step,
                min: m.min_value,
                max: m.max_value,
                points: m.points,
            })
            .collect(),
    }
}

/// The workspace's run named `name` (not deleted), or "not found". A page showing a run loads
/// it for its header, metrics, charts, log and outputs: read once per render.
#[cfg(feature = "ssr")]
pub(crate) async fn find_run(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    name: &str,
) -> Result<crate::server::db::runs::RunRecord, crate::error::AppError> {
    find_run_if_any(pool, ws, name).await?.ok_or_else(crate::error::AppError::not_found)
}

/// [`find_run`], with a missing run as `None`.
#[cfg(feature = "ssr")]
pub(crate) async fn find_run_if_any(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    name: &str,
) -> Result<Option<crate::server::db::runs::RunRecord>, crate::error::AppError> {
    use crate::server::error::OrInternal;
    let name = name.trim();
    let key = || format!("run {} {name}", ws.target().id);
    let load = || async move {
        crate::server::db::runs::get(pool, ws, name).await.or_internal("reading a run")
    };
    crate::server::request_memo::memoized(key, load).await
}

#[cfg(feature = "ssr")]
pub(crate) fn change_error(error: crate::server::db::runs::ChangeError) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::runs::ChangeError;
    match error {
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::Transition { from, to } => {
            AppError::new(ErrorKind::Conflict, format!("This run is {from}; it cannot be {to}."))
        }
        ChangeError::Database(e) => crate::server::error::internal("changing a run", e),
    }
}

/// The bytes of an uploaded file sent as base64 in `field`: at most 8 MB (larger files come
/// with the tracking API). `what` names it in messages ("A file", "An archive").
#[cfg(feature = "ssr")]
pub(crate) fn decode_upload(
    field: &str,
    content: &str,
    what: &str,
) -> Result<Vec<u8>, crate::error::AppError> {
    use crate::domain::Invalid;
    use crate::error::AppError;

    const MAX_BYTES: usize = 8 * 1024 * 1024;
    if content.trim().is_empty() {
        return Err(AppError::invalid_field(field, Invalid::new("Choose a file to upload.")));
    }
    let bytes = crate::server::storage::decode_base64(content).ok_or_else(|| {
        AppError::invalid_field(field, Invalid::new("The file did not arrive intact."))
    })?;
    if bytes.len() > MAX_BYTES {
        return Err(AppError::invalid_field(
            field,
            Invalid::new(format!(
                "{what} has at most 8 MB; larger uploads come with the tracking API."
            )),
        ));
    }
    Ok(bytes)
}
