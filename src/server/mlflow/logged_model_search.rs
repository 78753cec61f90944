//! `logged-models/search`: the logged models of some experiments that satisfy a filter, in an
//! order, a page at a time. The client also asks this whenever it lists a run's artifacts
//! (`name = '…'`, to find a model logged apart from the run; Atelier's are always inside it).

use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments as api_experiments;
use super::filter::{Field, Order};
use super::logged_model_wire::{artifact_uri, model_json};
use super::query::{OwnedActual, Search};
use super::wire;
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::server::db::logged_models::{self, LoggedModelRecord, ModelMetric};

/// The most logged models one search looks through.
const SCAN_LIMIT: i64 = 100_000;
/// A page when the client gives no size (MLflow's server default).
const DEFAULT_PAGE: i64 = 100;
/// What a filter or order may name besides metrics, params and tags.
const ATTRIBUTES: &[&str] = &[
    "name",
    "model_id",
    "model_type",
    "status",
    "source_run_id",
    "artifact_uri",
    "experiment_id",
    "creation_timestamp",
    "creation_time",
    "last_updated_timestamp",
    "last_updated_time",
];

#[derive(Deserialize)]
pub struct SearchBody {
    #[serde(default)]
    experiment_ids: Vec<String>,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    datasets: Vec<Dataset>,
    #[serde(default)]
    max_results: Option<i64>,
    #[serde(default)]
    order_by: Vec<OrderBy>,
    #[serde(default)]
    page_token: Option<String>,
}

/// Metrics count only when measured on one of these, when some are given.
#[derive(Deserialize)]
pub struct Dataset {
    #[serde(default)]
    dataset_name: String,
    #[serde(default)]
    dataset_digest: Option<String>,
}

#[derive(Deserialize)]
pub struct OrderBy {
    #[serde(default)]
    field_name: String,
    #[serde(default = "ascending_by_default")]
    ascending: bool,
}

fn ascending_by_default() -> bool {
    true
}

pub async fn search(caller: Caller, JsonBody(body): JsonBody<SearchBody>) -> Answer {
    let ws = caller.workspace(Action::RunsRead).await?;
    let order_by: Vec<String> = body
        .order_by
        .iter()
        .map(|o| format!("{} {}", o.field_name, if o.ascending { "ASC" } else { "DESC" }))
        .collect();
    let search = Search::parse(
        Some(body.max_results.unwrap_or(DEFAULT_PAGE)),
        body.filter.as_deref(),
        &order_by,
        body.page_token.as_deref(),
        |field| match field {
            Field::Attribute(a) if !ATTRIBUTES.contains(&a.as_str()) => Err(format!(
                "Invalid logged model search key '{a}'. Valid attributes are {ATTRIBUTES:?}"
            )),
            _ => Ok(()),
        },
    )?;
    let experiment_ids = api_experiments::existing_ids(&caller, &ws, &body.experiment_ids).await?;
    let models =
        logged_models::in_experiments(&caller.state.pool, &ws, &experiment_ids, SCAN_LIMIT)
            .await
            .map_err(|e| MlflowError::internal("searching logged models", e))?;
    let newest_first =
        Order { field: Field::Attribute("creation_timestamp".into()), ascending: false };
    let (page, next) = search.page(
        &models,
        |model, field| value_of(model, &body.datasets, field),
        newest_first,
        |a, b| b.id.cmp(&a.id),
    );
    let page: Vec<Value> = page.into_iter().map(model_json).collect();
    let mut answer = json!({ "models": page });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}

type Answer = Result<Json<Value>, MlflowError>;

fn on_datasets(metric: &ModelMetric, datasets: &[Dataset]) -> bool {
    datasets.is_empty()
        || datasets.iter().any(|d| {
            metric.dataset_name.as_deref() == Some(d.dataset_name.as_str())
                && d.dataset_digest
                    .as_deref()
                    .is_none_or(|digest| metric.dataset_digest.as_deref() == Some(digest))
        })
}

/// What a logged model has for a field, as MLflow compares it: a metric's value at its highest
/// step, params and tags and most attributes as text, times in milliseconds.
fn value_of(model: &LoggedModelRecord, datasets: &[Dataset], field: &Field) -> Option<OwnedActual> {
    let text = |s: &str| Some(OwnedActual::Text(s.to_owned()));
    let find = |pairs: &[(String, String)], key: &str| {
        pairs.iter().find(|(k, _)| k == key).and_then(|(_, v)| text(v))
    };
    match field {
        Field::Metric(key) => model
            .metrics
            .iter()
            .filter(|m| m.key == *key && on_datasets(m, datasets))
            .max_by_key(|m| (m.step, m.timestamp))
            .map(|m| OwnedActual::Number(m.value)),
        Field::Param(key) => find(&model.params, key),
        Field::Tag(key) => find(&model.tags, key),
        Field::Attribute(name) => match name.as_str() {
            "name" => text(&model.name),
            "model_id" => text(&model.model_id),
            "model_type" => text(&model.model_type),
            "status" => text(model.status.as_str()),
            "source_run_id" => text(&model.run),
            "artifact_uri" => text(&artifact_uri(model)),
            "experiment_id" => text(&model.experiment_id.to_string()),
            "last_updated_timestamp" | "last_updated_time" => {
                Some(OwnedActual::Number(wire::ms(model.updated_at) as f64))
            }
            _ => Some(OwnedActual::Number(wire::ms(model.created_at) as f64)),
        },
    }
}
