//! MLflow's JSON shapes for logged models (LoggedModel, its status, and what MLflow 3 adds to
//! a metric point), built from Atelier's records.

use serde::Deserialize;
use serde_json::{json, Value};

use super::wire;
use crate::server::db::logged_model_edits::ModelPoint;
use crate::server::db::logged_models::{LoggedModelRecord, ModelStatus};
use crate::server::db::tracking::TimedPoint;

/// MLflow's LoggedModelStatus names, as the JSON of its messages spells them.
fn status_name(status: ModelStatus) -> &'static str {
    match status {
        ModelStatus::Pending => "LOGGED_MODEL_PENDING",
        ModelStatus::Ready => "LOGGED_MODEL_READY",
        ModelStatus::Failed => "LOGGED_MODEL_UPLOAD_FAILED",
    }
}

/// A finalize request's status: READY or FAILED, by name or by number.
pub(super) fn final_status(value: &Value) -> Option<ModelStatus> {
    match value {
        Value::String(name) if name == "LOGGED_MODEL_READY" => Some(ModelStatus::Ready),
        Value::String(name) if name == "LOGGED_MODEL_UPLOAD_FAILED" => Some(ModelStatus::Failed),
        Value::Number(n) if n.as_i64() == Some(2) => Some(ModelStatus::Ready),
        Value::Number(n) if n.as_i64() == Some(3) => Some(ModelStatus::Failed),
        _ => None,
    }
}

/// Where a logged model's files are: a folder of its run's artifacts.
pub(super) fn artifact_uri(model: &LoggedModelRecord) -> String {
    format!("{}/{}", wire::artifact_uri(&model.run), model.artifact_path)
}

/// A logged model as MLflow's LoggedModel message.
pub(super) fn model_json(m: &LoggedModelRecord) -> Value {
    let metrics: Vec<Value> = m
        .metrics
        .iter()
        .map(|metric| {
            let mut value = json!({
                "key": metric.key,
                "value": metric.value,
                "timestamp": metric.timestamp,
                "step": metric.step,
                "model_id": m.model_id,
                "run_id": metric.run_id,
            });
            if let Some(name) = &metric.dataset_name {
                value["dataset_name"] = json!(name);
            }
            if let Some(digest) = &metric.dataset_digest {
                value["dataset_digest"] = json!(digest);
            }
            value
        })
        .collect();
    let mut info = json!({
        "model_id": m.model_id,
        "experiment_id": m.experiment_id.to_string(),
        "name": m.name,
        "creation_timestamp_ms": wire::ms(m.created_at),
        "last_updated_timestamp_ms": wire::ms(m.updated_at),
        "artifact_uri": artifact_uri(m),
        "status": status_name(m.status),
        "model_type": m.model_type,
        "source_run_id": m.run,
        "status_message": "",
        "tags": wire::key_values(&m.tags),
    });
    if let Some(user) = m.created_by {
        info["creator_id"] = json!(user.to_string());
    }
    json!({ "info": info, "data": { "params": wire::key_values(&m.params), "metrics": metrics } })
}

/// What MLflow 3 adds to a metric point: the logged model it is for, and the dataset it was
/// measured on (`runs/log-metric`, `runs/log-batch`).
#[derive(Deserialize, Default)]
pub struct MetricModel {
    #[serde(default)]
    model_id: Option<String>,
    #[serde(default)]
    dataset_name: Option<String>,
    #[serde(default)]
    dataset_digest: Option<String>,
}

impl MetricModel {
    /// Puts `point` among the run's own points, or among models' when it names a model.
    pub(super) fn file(
        &self,
        point: TimedPoint,
        run: &mut Vec<TimedPoint>,
        models: &mut Vec<ModelPoint>,
    ) {
        match self.model_id.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => models.push(ModelPoint {
                model_id: id.to_owned(),
                point,
                dataset_name: self.dataset_name.clone(),
                dataset_digest: self.dataset_digest.clone(),
            }),
            None => run.push(point),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finalize_takes_ready_or_failed_by_name_or_number() {
        assert_eq!(final_status(&json!("LOGGED_MODEL_READY")), Some(ModelStatus::Ready));
        assert_eq!(final_status(&json!(3)), Some(ModelStatus::Failed));
        assert_eq!(final_status(&json!("LOGGED_MODEL_PENDING")), None);
        assert_eq!(final_status(&Value::Null), None);
    }
}
