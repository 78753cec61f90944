//! `runs/search`: the runs of some experiments that satisfy a filter, in an order, a page at a
//! time. The database finds them (`db::run_search`, through indexes); this reads the request
//! and writes the page.

use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments as api_experiments;
use super::filter::Field;
use super::query::Search;
use super::{run_query, wire};
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::server::db::run_search::{self, RunQuery};
use crate::server::db::{run_metrics, runs};

/// How deep pages of one search reach: the matching runs before a page's end are read (their
/// ids and sort keys, per experiment searched) to find it.
const SEARCH_DEPTH: usize = 100_000;
/// Different clauses one filter may hold (repeated ones count once): each is a condition of
/// the statement.
const MAX_CONDITIONS: usize = 100;
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
    let experiment_ids = api_experiments::existing_ids(&caller, &ws, &body.experiment_ids).await?;
    let (offset, max) = search.window();
    let end = offset.saturating_add(max);
    if end > SEARCH_DEPTH {
        return Err(MlflowError::invalid(format!(
            "A run search pages through its first {SEARCH_DEPTH} runs; this page would end at \
             run {end}. Narrow the filter or change the order to reach the others."
        )));
    }
    let mut conditions = Vec::new();
    for clause in search.clauses() {
        // A clause no run can meet: nothing matches.
        let Some(condition) = run_query::condition(clause) else {
            return Ok(Json(json!({ "runs": [] })));
        };
        if !conditions.contains(&condition) {
            conditions.push(condition);
        }
    }
    if conditions.len() > MAX_CONDITIONS {
        return Err(MlflowError::invalid(format!(
            "A run search's filter holds at most {MAX_CONDITIONS} different clauses; this one \
             holds {}.",
            conditions.len()
        )));
    }
    let query = RunQuery {
        experiments: experiment_ids,
        deleted,
        conditions,
        order: search.orders().iter().map(run_query::sort_key).collect(),
        // One more than the page, to know whether another follows.
        wanted: end + 1,
    };
    let pool = &caller.state.pool;
    let found = run_search::find(pool, &ws, &query)
        .await
        .map_err(|e| MlflowError::internal("searching runs", e))?;
    let next = (found.len() > end).then(|| wire::page_token(end));
    let ids: Vec<i64> = found.iter().skip(offset).take(max).map(|f| f.id).collect();
    let runs = runs::by_row_ids(pool, &ws, &ids)
        .await
        .map_err(|e| MlflowError::internal("reading the runs found", e))?;
    let summaries = run_metrics::summaries(pool, &ws, &ids)
        .await
        .map_err(|e| MlflowError::internal("reading runs' metrics", e))?;
    let none = Vec::new();
    let page: Vec<Value> =
        runs.iter().map(|run| wire::run(run, summaries.get(&run.id).unwrap_or(&none))).collect();
    let mut answer = json!({ "runs": page });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}
