//! `runs/search`: the runs of some experiments that satisfy a filter, in an order, a page at a
//! time. The newest runs of those experiments (up to 100,000) are read through the experiment
//! index with each one's metric summaries, then filtered and ordered here.

use std::collections::BTreeMap;

use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments as api_experiments;
use super::filter::{Field, Order};
use super::query::{OwnedActual, Search};
use super::wire::{self, RUN_NAME_TAG};
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::server::db::run_metrics::{self, MetricSummary};
use crate::server::db::runs::RunRecord;
use crate::server::db::tracking;

/// The most runs one search looks through.
const SCAN_LIMIT: i64 = 100_000;
/// Run ids per summaries query: well under both backends' limits on parameters.
const IDS_PER_QUERY: usize = 500;
const RUN_ATTRIBUTES: &[&str] = &[
    "status",
    "run_name",
    "run_id",
    "start_time",
    "end_time",
    "user_id",
    "artifact_uri",
    "created",
    "Created",
    "experiment_id",
];

#[derive(Deserialize)]
pub struct SearchBody {
    #[serde(default)]
    experiment_ids: Vec<String>,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    run_view_type: Option<String>,
    #[serde(default)]
    max_results: Option<i64>,
    #[serde(default)]
    order_by: Vec<String>,
    #[serde(default)]
    page_token: Option<String>,
}

pub async fn search_runs(
    caller: Caller,
    JsonBody(body): JsonBody<SearchBody>,
) -> Result<Json<Value>, MlflowError> {
    let ws = caller.workspace(Action::RunsRead).await?;
    let search = Search::parse(
        body.max_results,
        body.filter.as_deref(),
        &body.order_by,
        body.page_token.as_deref(),
        |field| match field {
            Field::Attribute(a) if !RUN_ATTRIBUTES.contains(&a.as_str()) => Err(format!(
                "Invalid attribute key '{a}' specified. Valid keys are {RUN_ATTRIBUTES:?}"
            )),
            _ => Ok(()),
        },
    )?;
    let deleted = match wire::ViewType::parse(body.run_view_type.as_deref())? {
        wire::ViewType::ActiveOnly => Some(false),
        wire::ViewType::DeletedOnly => Some(true),
        wire::ViewType::All => None,
    };
    let experiment_ids = api_experiments::existing_ids(&caller, &ws, &body.experiment_ids).await;
    let pool = &caller.state.pool;
    let runs = tracking::runs_of_experiments(pool, &ws, &experiment_ids, deleted, SCAN_LIMIT)
        .await
        .map_err(|e| MlflowError::internal("searching runs", e))?;
    let mut summaries: BTreeMap<i64, Vec<MetricSummary>> = BTreeMap::new();
    let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        summaries.extend(
            run_metrics::summaries(pool, &ws, chunk)
                .await
                .map_err(|e| MlflowError::internal("reading runs' metrics", e))?,
        );
    }
    let none = Vec::new();
    let metrics_of = |run: &RunRecord| summaries.get(&run.id).unwrap_or(&none);
    let newest_first = Order { field: Field::Attribute("start_time".into()), ascending: false };
    let (page, next) = search.page(
        &runs,
        |run, field| value_of(run, metrics_of(run), field),
        newest_first,
        |a, b| a.name.cmp(&b.name),
    );
    let page: Vec<Value> = page.into_iter().map(|run| wire::run(run, metrics_of(run))).collect();
    let mut answer = json!({ "runs": page });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}

/// What a run has for a field, as MLflow compares it (metrics as numbers, the rest as text;
/// times in milliseconds).
fn value_of(run: &RunRecord, metrics: &[MetricSummary], field: &Field) -> Option<OwnedActual> {
    let text = |s: &str| Some(OwnedActual::Text(s.to_owned()));
    match field {
        Field::Metric(key) => {
            metrics.iter().find(|m| m.key == *key).map(|m| OwnedActual::Number(m.last_value))
        }
        Field::Param(key) => run.params.iter().find(|(k, _)| k == key).and_then(|(_, v)| text(v)),
        Field::Tag(key) if key == RUN_NAME_TAG => text(&run.display_name),
        Field::Tag(key) => run.tags.iter().find(|(k, _)| k == key).and_then(|(_, v)| text(v)),
        Field::Attribute(name) => match name.as_str() {
            "status" => text(wire::status_name(run.status)),
            "run_name" => text(&run.display_name),
            "run_id" => text(&run.name),
            "user_id" => text(&run.user_name),
            "artifact_uri" => text(&wire::artifact_uri(&run.name)),
            "experiment_id" => text(&run.experiment_id.to_string()),
            "end_time" => run.ended_at.map(|t| OwnedActual::Number(wire::ms(t) as f64)),
            _ => {
                Some(OwnedActual::Number(wire::ms(run.started_at.unwrap_or(run.created_at)) as f64))
            }
        },
    }
}
