//! MLflow's JSON shapes for experiments, runs and metrics, built from Atelier's records.
//! Times are epoch milliseconds on the wire and seconds in the database.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::RunStatus;
use crate::server::db::experiments::ExperimentRecord;
use crate::server::db::run_metrics::MetricSummary;
use crate::server::db::runs::RunRecord;

/// MLflow's tag holding an experiment's or run's description.
pub const NOTE_TAG: &str = "mlflow.note.content";
/// MLflow's tag naming a run (kept equal to its display name).
pub const RUN_NAME_TAG: &str = "mlflow.runName";
/// Experiment id "0" is MLflow's default experiment; here, the workspace's "Default".
pub const DEFAULT_EXPERIMENT_ID: &str = "0";
pub const DEFAULT_EXPERIMENT: &str = "Default";

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct KeyValue {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

pub fn key_values(pairs: &[(String, String)]) -> Vec<KeyValue> {
    pairs.iter().map(|(key, value)| KeyValue { key: key.clone(), value: value.clone() }).collect()
}

pub fn ms(seconds: i64) -> i64 {
    seconds.saturating_mul(1000)
}

pub fn experiment(e: &ExperimentRecord) -> Value {
    let mut tags = key_values(&e.tags);
    if !e.description.is_empty() {
        tags.push(KeyValue { key: NOTE_TAG.to_owned(), value: e.description.clone() });
    }
    json!({
        "experiment_id": e.id.to_string(),
        "name": e.name,
        "artifact_location": format!("mlflow-artifacts:/experiments/{}", e.id),
        "lifecycle_stage": lifecycle_stage(e.deleted_at),
        "creation_time": ms(e.created_at),
        "last_update_time": ms(e.updated_at),
        "tags": tags,
    })
}

/// MLflow's lifecycle stage of something that may have been deleted through the API.
pub fn lifecycle_stage(deleted_at: Option<i64>) -> &'static str {
    if deleted_at.is_some() {
        "deleted"
    } else {
        "active"
    }
}

/// Which experiments or runs a search looks at (MLflow's `view_type` / `run_view_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewType {
    ActiveOnly,
    DeletedOnly,
    All,
}

impl ViewType {
    pub fn parse(text: Option<&str>) -> Result<Self, super::MlflowError> {
        Ok(match text.unwrap_or_default() {
            "" | "ACTIVE_ONLY" | "1" => Self::ActiveOnly,
            "DELETED_ONLY" | "2" => Self::DeletedOnly,
            "ALL" | "3" => Self::All,
            other => {
                return Err(super::MlflowError::invalid(format!(
                    "Invalid view type '{other}': use ACTIVE_ONLY, DELETED_ONLY or ALL."
                )))
            }
        })
    }

    /// Whether something deleted at `deleted_at` (or not deleted) is in this view.
    pub fn shows(self, deleted_at: Option<i64>) -> bool {
        match self {
            Self::ActiveOnly => deleted_at.is_none(),
            Self::DeletedOnly => deleted_at.is_some(),
            Self::All => true,
        }
    }
}

/// MLflow's name for a run's status.
pub fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Queued => "SCHEDULED",
        RunStatus::Running => "RUNNING",
        RunStatus::Completed => "FINISHED",
        RunStatus::Failed => "FAILED",
        RunStatus::Canceled => "KILLED",
    }
}

pub fn status_from_name(name: &str) -> Option<RunStatus> {
    Some(match name {
        "SCHEDULED" => RunStatus::Queued,
        "RUNNING" => RunStatus::Running,
        "FINISHED" => RunStatus::Completed,
        "FAILED" => RunStatus::Failed,
        "KILLED" => RunStatus::Canceled,
        _ => return None,
    })
}

/// Where a run's artifacts are: MLflow's proxied artifact scheme, which the client resolves
/// against the tracking URI (so uploads come back to this workspace's API).
pub fn artifact_uri(run: &str) -> String {
    format!("mlflow-artifacts:/runs/{run}")
}

pub fn run_info(run: &RunRecord) -> Value {
    json!({
        "run_id": run.name,
        "run_uuid": run.name,
        "run_name": run.display_name,
        "experiment_id": run.experiment_id.to_string(),
        "user_id": run.user_name,
        "status": status_name(run.status),
        "start_time": ms(run.started_at.unwrap_or(run.created_at)),
        "end_time": run.ended_at.map(ms),
        "artifact_uri": artifact_uri(&run.name),
        "lifecycle_stage": lifecycle_stage(run.deleted_at),
    })
}

/// A run with its parameters, tags and each metric's latest value.
pub fn run(run: &RunRecord, metrics: &[MetricSummary]) -> Value {
    let at = ms(run.ended_at.or(run.started_at).unwrap_or(run.created_at));
    let metrics: Vec<Value> = metrics
        .iter()
        .map(|m| {
            let timestamp = m.last_timestamp_ms.unwrap_or(at);
            json!({ "key": m.key, "value": m.last_value, "step": m.last_step, "timestamp": timestamp })
        })
        .collect();
    let mut tags = key_values(&run.tags);
    if !run.tags.iter().any(|(k, _)| k == RUN_NAME_TAG) {
        tags.push(KeyValue { key: RUN_NAME_TAG.to_owned(), value: run.display_name.clone() });
    }
    json!({
        "info": run_info(run),
        "data": { "metrics": metrics, "params": key_values(&run.params), "tags": tags },
        "inputs": { "dataset_inputs": [] },
    })
}

/// An opaque page token: the offset of the next page.
pub fn page_token(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{{\"offset\": {offset}}}"))
}

pub fn offset_of(token: Option<&str>) -> Result<usize, super::MlflowError> {
    use base64::Engine;
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(0);
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| v["offset"].as_u64())
        // An offset is also bound as a signed 64-bit number in queries.
        .filter(|n| i64::try_from(*n).is_ok())
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| super::MlflowError::invalid("Invalid page token."))
}
