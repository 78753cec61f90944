//! `runs/*` and `metrics/get-history`: create, read and finish runs, and log metrics,
//! parameters and tags to them with MLflow's limits and rules (parameters never change once
//! logged). The runs are the studio's runs: same table, same pages.

use std::collections::HashMap;

use axum::extract::Query;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments::{self as api_experiments, check_tag};
use super::logged_model_wire::MetricModel;
use super::wire::{self, KeyValue, RUN_NAME_TAG};
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::domain::run::{parse_run_display_name, seconds_of_ms, validate_metric_key, MetricPoint};
use crate::domain::{Params, RunStatus, Tags};
use crate::server::authz::Authorized;
use crate::server::db::logged_models;
use crate::server::db::run_lifecycle::{self, LifecycleError};
use crate::server::db::runs::{self, ChangeError, NewRun, RunRecord};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::tracking::{self, LogError, RunLog, TimedPoint};
use crate::server::db::{run_metrics, run_metrics::MetricSummary};

/// MLflow's limits.
const MAX_PARAM_KEY: usize = 250;
const MAX_PARAM_VALUE: usize = 6000;
const MAX_BATCH_METRICS: usize = 1000;
const MAX_BATCH_PARAMS: usize = 100;
const MAX_BATCH_TAGS: usize = 100;
const MAX_BATCH_TOTAL: usize = 1000;
/// Points per page of a metric's history (the client asks for this many).
const HISTORY_PAGE: i64 = 25_000;

type Answer = Result<Json<Value>, MlflowError>;

/// The run id a request names (`run_id`, or the older `run_uuid`).
fn run_id_of(run_id: &Option<String>, run_uuid: &Option<String>) -> Result<String, MlflowError> {
    run_id
        .as_deref()
        .or(run_uuid.as_deref())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'run_id'."))
}

/// MLflow's answer to changing a deleted run.
pub(super) fn not_active(id: &str) -> MlflowError {
    MlflowError::invalid(format!(
        "The run {id} must be in the 'active' state. Current state is deleted."
    ))
}

fn run_missing(id: &str) -> MlflowError {
    MlflowError::not_found(format!("Run with id={id} not found"))
}

/// A run of the workspace, deleted or not, with its metrics' latest values.
pub(super) async fn load(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<(RunRecord, Vec<MetricSummary>), MlflowError> {
    let pool = &caller.state.pool;
    let run = runs::get_including_deleted(pool, ws, id)
        .await
        .map_err(|e| MlflowError::internal("reading a run", e))?
        .ok_or_else(|| run_missing(id))?;
    let mut summaries = run_metrics::summaries(pool, ws, &[run.id])
        .await
        .map_err(|e| MlflowError::internal("reading a run's metrics", e))?;
    Ok((run.clone(), summaries.remove(&run.id).unwrap_or_default()))
}

#[derive(Deserialize)]
pub struct CreateBody {
    #[serde(default)]
    experiment_id: Option<String>,
    #[serde(default)]
    run_name: Option<String>,
    #[serde(default)]
    tags: Vec<KeyValue>,
    /// Milliseconds, as the client saw the run start.
    #[serde(default)]
    start_time: Option<i64>,
}

pub async fn create(caller: Caller, JsonBody(body): JsonBody<CreateBody>) -> Answer {
    let ws = caller.workspace(Action::RunsSubmit).await?;
    let experiment_id = body.experiment_id.unwrap_or_else(|| wire::DEFAULT_EXPERIMENT_ID.into());
    for tag in &body.tags {
        check_tag(&tag.key, &tag.value)?;
    }
    let tag_name = body.tags.iter().find(|t| t.key == RUN_NAME_TAG).map(|t| t.value.clone());
    let asked = body.run_name.filter(|n| !n.is_empty()).or(tag_name);
    let display = parse_run_display_name(asked.as_deref().unwrap_or_default())
        .map_err(|e| MlflowError::invalid(e.0))?;
    let experiment = api_experiments::for_new_run(&caller, &ws, &experiment_id).await?;
    let (name, made_up) = crate::server::run_names::new_run_names()
        .map_err(|e| MlflowError::internal("naming a run", e))?;
    let display_name = display.unwrap_or(made_up);
    let entry_point = body
        .tags
        .iter()
        .find(|t| t.key == "mlflow.source.name")
        .map(|t| t.value.clone())
        .unwrap_or_default();
    let tags: Vec<(String, String)> = body
        .tags
        .iter()
        .filter(|t| t.key != RUN_NAME_TAG)
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    let new = NewRun {
        experiment: &experiment.name,
        name: name.clone(),
        display_name,
        status: RunStatus::Running,
        entry_point,
        params: &Params::from_pairs(Vec::new()),
        tags: &Tags::from_pairs(tags),
    };
    runs::create(&caller.state.pool, &ws, &caller.actor(), &new).await.map_err(|e| match e {
        ChangeError::NotFound => MlflowError::not_found("The experiment was deleted meanwhile."),
        e => MlflowError::internal("creating a run", e),
    })?;
    if let Some(started) = body.start_time {
        let seconds = Some(seconds_of_ms(started));
        tracking::set_times(&caller.state.pool, &ws, &name, seconds, None)
            .await
            .map_err(|e| MlflowError::internal("recording a run's start", e))?;
    }
    let (run, metrics) = load(&caller, &ws, &name).await?;
    Ok(Json(json!({ "run": wire::run(&run, &metrics) })))
}

pub async fn get(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::RunsRead).await?;
    let id = run_id_of(&query.get("run_id").cloned(), &query.get("run_uuid").cloned())?;
    let (run, metrics) = load(&caller, &ws, &id).await?;
    // The models the run produced: the client looks a run's logged models up through them.
    let outputs = logged_models::outputs_of_run(&caller.state.pool, &ws, run.id)
        .await
        .map_err(|e| MlflowError::internal("reading a run's models", e))?;
    let mut answer = wire::run(&run, &metrics);
    answer["outputs"] = json!({
        "model_outputs": outputs
            .iter()
            .map(|(model_id, step)| json!({ "model_id": model_id, "step": step }))
            .collect::<Vec<_>>(),
    });
    Ok(Json(json!({ "run": answer })))
}

#[derive(Deserialize)]
pub struct UpdateBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    run_uuid: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    run_name: Option<String>,
    /// Milliseconds, as the client saw the run end.
    #[serde(default)]
    end_time: Option<i64>,
}

pub async fn update(caller: Caller, JsonBody(body): JsonBody<UpdateBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &body.run_uuid)?;
    let status = match body.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(wire::status_from_name(name).ok_or_else(|| {
            MlflowError::invalid(format!(
                "Invalid value {name:?} for parameter 'status': use RUNNING, SCHEDULED, \
                 FINISHED, FAILED or KILLED."
            ))
        })?),
    };
    let display = match body.run_name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => parse_run_display_name(name).map_err(|e| MlflowError::invalid(e.0))?,
        None => None,
    };
    if let Some(display) = &display {
        let tag = [(RUN_NAME_TAG.to_owned(), display.clone())];
        let change = RunLog { display_name: Some(display), set_tags: &tag, ..RunLog::default() };
        apply(&caller, &ws, &id, &change).await?;
    }
    if let Some(next) = status {
        if load(&caller, &ws, &id).await?.0.deleted_at.is_some() {
            return Err(not_active(&id));
        }
        let update = run_metrics::RunUpdate { points: &[], log: "", status: Some(next) };
        run_metrics::append(&caller.state.pool, &ws, &caller.actor(), &id, &update)
            .await
            .map_err(|e| change_error(&id, e))?;
    }
    if let Some(ended) = body.end_time {
        tracking::set_times(&caller.state.pool, &ws, &id, None, Some(seconds_of_ms(ended)))
            .await
            .map_err(|e| MlflowError::internal("recording a run's end", e))?;
    }
    let (run, _) = load(&caller, &ws, &id).await?;
    Ok(Json(json!({ "run_info": wire::run_info(&run) })))
}

fn change_error(id: &str, error: ChangeError) -> MlflowError {
    match error {
        ChangeError::NotFound => run_missing(id),
        ChangeError::Transition { from, to } => {
            MlflowError::invalid(format!("The run {id} is {from}: it cannot become {to}."))
        }
        e => MlflowError::internal("changing a run", e),
    }
}

async fn apply(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
    log: &RunLog<'_>,
) -> Result<(), MlflowError> {
    tracking::log(&caller.state.pool, ws, id, log).await.map_err(|e| match e {
        LogError::Run(ChangeError::Transition { from, .. }) => MlflowError::invalid(format!(
            "The run {id} is {from}: a run that has ended takes no more metrics."
        )),
        LogError::Run(e) => change_error(id, e),
        LogError::ParamChanged { key, old, new } => MlflowError::invalid(format!(
            "Changing param values is not allowed. Param with key='{key}' was already logged \
             with value='{old}' for run ID='{id}'. Attempted logging new value '{new}'."
        )),
        LogError::NoSuchTag(key) => {
            MlflowError::not_found(format!("No tag with name: {key} in run with id {id}"))
        }
        LogError::NoSuchModel(model) => {
            MlflowError::not_found(format!("Logged model with ID '{model}' not found."))
        }
        LogError::Deleted => not_active(id),
    })
}

#[derive(Deserialize)]
pub struct MetricBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    run_uuid: Option<String>,
    #[serde(default)]
    key: String,
    value: Option<f64>,
    timestamp: Option<i64>,
    #[serde(default)]
    step: i64,
    #[serde(flatten)]
    model: MetricModel,
}

fn point(
    key: &str,
    value: Option<f64>,
    timestamp: Option<i64>,
    step: i64,
) -> Result<TimedPoint, MlflowError> {
    validate_metric_key(key).map_err(|_| {
        MlflowError::invalid(format!(
            "Invalid metric name: '{key}'. Names may be up to 250 characters long, and may only \
             contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and \
             slashes (/)."
        ))
    })?;
    let value = value
        .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'value'."))?;
    if !value.is_finite() {
        return Err(MlflowError::invalid(format!("Metric '{key}' must be a finite number.")));
    }
    let timestamp = timestamp
        .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'timestamp'."))?;
    if step < 0 {
        return Err(MlflowError::invalid(format!("Metric '{key}' has a negative step: {step}.")));
    }
    Ok(TimedPoint {
        point: MetricPoint { key: key.to_owned(), step, value },
        timestamp_ms: timestamp,
    })
}

pub async fn log_metric(caller: Caller, JsonBody(body): JsonBody<MetricBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &body.run_uuid)?;
    let (mut points, mut model_points) = (Vec::new(), Vec::new());
    let point = point(&body.key, body.value, body.timestamp, body.step)?;
    body.model.file(point, &mut points, &mut model_points);
    let log = RunLog { points: &points, model_points: &model_points, ..RunLog::default() };
    apply(&caller, &ws, &id, &log).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct ParamBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    run_uuid: Option<String>,
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

pub(super) fn check_param(key: &str, value: &str) -> Result<(), MlflowError> {
    if key.is_empty() || key.chars().count() > MAX_PARAM_KEY || validate_metric_key(key).is_err() {
        return Err(MlflowError::invalid(format!(
            "Invalid parameter name: '{key}'. Names may be up to 250 characters long, and may \
             only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), \
             and slashes (/)."
        )));
    }
    if value.chars().count() > MAX_PARAM_VALUE {
        return Err(MlflowError::invalid(format!(
            "Param value '{}…' had length {}, which exceeded length limit of {MAX_PARAM_VALUE}",
            value.chars().take(50).collect::<String>(),
            value.chars().count()
        )));
    }
    Ok(())
}

pub async fn log_param(caller: Caller, JsonBody(body): JsonBody<ParamBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &body.run_uuid)?;
    check_param(&body.key, &body.value)?;
    let params = [(body.key, body.value)];
    apply(&caller, &ws, &id, &RunLog { params: &params, ..RunLog::default() }).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct BatchMetric {
    #[serde(default)]
    key: String,
    value: Option<f64>,
    timestamp: Option<i64>,
    #[serde(default)]
    step: i64,
    #[serde(flatten)]
    model: MetricModel,
}

#[derive(Deserialize)]
pub struct BatchBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    metrics: Vec<BatchMetric>,
    #[serde(default)]
    params: Vec<KeyValue>,
    #[serde(default)]
    tags: Vec<KeyValue>,
}

pub async fn log_batch(caller: Caller, JsonBody(body): JsonBody<BatchBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &None)?;
    let (m, p, t) = (body.metrics.len(), body.params.len(), body.tags.len());
    if m > MAX_BATCH_METRICS {
        return Err(MlflowError::invalid(format!(
            "A batch logging request can contain at most {MAX_BATCH_METRICS} metrics. Got {m} \
             metrics. Please split up metrics across multiple requests and try again."
        )));
    }
    if p > MAX_BATCH_PARAMS {
        return Err(MlflowError::invalid(format!(
            "A batch logging request can contain at most {MAX_BATCH_PARAMS} params. Got {p} \
             params. Please split up params across multiple requests and try again."
        )));
    }
    if t > MAX_BATCH_TAGS {
        return Err(MlflowError::invalid(format!(
            "A batch logging request can contain at most {MAX_BATCH_TAGS} tags. Got {t} tags. \
             Please split up tags across multiple requests and try again."
        )));
    }
    if m + p + t > MAX_BATCH_TOTAL {
        return Err(MlflowError::invalid(format!(
            "The total number of metrics, params, and tags in a batch logging request can be at \
             most {MAX_BATCH_TOTAL}. Got {} entries.",
            m + p + t
        )));
    }
    let (mut points, mut model_points) = (Vec::with_capacity(m), Vec::new());
    for metric in &body.metrics {
        let point = point(&metric.key, metric.value, metric.timestamp, metric.step)?;
        metric.model.file(point, &mut points, &mut model_points);
    }
    let mut params: Vec<(String, String)> = Vec::with_capacity(p);
    for kv in &body.params {
        check_param(&kv.key, &kv.value)?;
        // The same key twice in one batch must agree, as MLflow requires.
        match params.iter().find(|(k, _)| *k == kv.key) {
            Some((_, v)) if *v != kv.value => {
                return Err(MlflowError::invalid(format!(
                    "Duplicate parameter keys have been submitted: '{}'. Please ensure the request \
                     contains only one param value per param key.",
                    kv.key
                )))
            }
            Some(_) => {}
            None => params.push((kv.key.clone(), kv.value.clone())),
        }
    }
    let mut tags = Vec::with_capacity(t);
    for kv in &body.tags {
        check_tag(&kv.key, &kv.value)?;
        tags.push((kv.key.clone(), kv.value.clone()));
    }
    let display =
        body.tags.iter().rev().find(|kv| kv.key == RUN_NAME_TAG).map(|kv| kv.value.as_str());
    let log = RunLog {
        points: &points,
        params: &params,
        set_tags: &tags,
        display_name: display,
        model_points: &model_points,
        ..RunLog::default()
    };
    apply(&caller, &ws, &id, &log).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct TagBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    run_uuid: Option<String>,
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

pub async fn set_tag(caller: Caller, JsonBody(body): JsonBody<TagBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &body.run_uuid)?;
    check_tag(&body.key, &body.value)?;
    let display = (body.key == RUN_NAME_TAG).then_some(body.value.as_str());
    let tags = [(body.key.clone(), body.value.clone())];
    let log = RunLog { set_tags: &tags, display_name: display, ..RunLog::default() };
    apply(&caller, &ws, &id, &log).await?;
    Ok(Json(json!({})))
}

pub async fn delete_tag(caller: Caller, JsonBody(body): JsonBody<TagBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &body.run_uuid)?;
    if body.key.is_empty() {
        return Err(MlflowError::invalid("Missing value for required parameter 'key'."));
    }
    let keys = [body.key];
    apply(&caller, &ws, &id, &RunLog { delete_tags: &keys, ..RunLog::default() }).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct InputsBody {
    #[serde(default)]
    run_id: Option<String>,
}

/// Datasets a run used. Atelier keeps data assets of its own; the call is accepted (so
/// `mlflow.log_input` works) once the run is known to exist and the caller may write to it.
pub async fn log_inputs(caller: Caller, JsonBody(body): JsonBody<InputsBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &None)?;
    load(&caller, &ws, &id).await?;
    Ok(Json(json!({})))
}

pub async fn metric_history(
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let ws = caller.workspace(Action::RunsRead).await?;
    let id = run_id_of(&query.get("run_id").cloned(), &query.get("run_uuid").cloned())?;
    let key = query.get("metric_key").cloned().unwrap_or_default();
    if key.is_empty() {
        return Err(MlflowError::invalid("Missing value for required parameter 'metric_key'."));
    }
    let limit = match query.get("max_results") {
        None => HISTORY_PAGE,
        Some(n) => {
            n.parse::<i64>().ok().filter(|n| (1..=HISTORY_PAGE).contains(n)).ok_or_else(|| {
                MlflowError::invalid(format!(
                    "'max_results' is a whole number from 1 to {HISTORY_PAGE}."
                ))
            })?
        }
    };
    let offset = wire::offset_of(query.get("page_token").map(String::as_str))?;
    let run = runs::get_including_deleted(&caller.state.pool, &ws, &id)
        .await
        .map_err(|e| MlflowError::internal("reading a run", e))?
        .ok_or_else(|| run_missing(&id))?;
    // One more than a page tells whether another page follows.
    let mut points =
        tracking::metric_history(&caller.state.pool, &ws, run.id, &key, offset as i64, limit + 1)
            .await
            .map_err(|e| MlflowError::internal("reading a metric's history", e))?;
    let more = points.len() as i64 > limit;
    points.truncate(limit as usize);
    let metrics: Vec<Value> = points
        .iter()
        .map(|p| {
            json!({ "key": key, "value": p.value, "step": p.step, "timestamp": p.timestamp_ms })
        })
        .collect();
    let mut answer = json!({ "metrics": metrics });
    if more {
        answer["next_page_token"] = json!(wire::page_token(offset + limit as usize));
    }
    Ok(Json(answer))
}

/// Deletes the run with its metrics, logs and artifacts at once, as the studio does.
/// Marks the run deleted, restorable for the retention window (`ATELIER_RUN_RETENTION_DAYS`);
/// the studio stops showing it at once.
pub async fn delete(caller: Caller, JsonBody(body): JsonBody<InputsBody>) -> Answer {
    let ws = caller.workspace(Action::RunsDelete).await?;
    let id = run_id_of(&body.run_id, &None)?;
    let state = &caller.state;
    let days = state.settings.run_retention_days;
    run_lifecycle::delete_run(&state.pool, &ws, &caller.actor(), &id, days)
        .await
        .map_err(|e| lifecycle_error(&id, e))?;
    Ok(Json(json!({})))
}

/// Brings a deleted run back, as MLflow's `restore_run`.
pub async fn restore(caller: Caller, JsonBody(body): JsonBody<InputsBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = run_id_of(&body.run_id, &None)?;
    run_lifecycle::restore_run(&caller.state.pool, &ws, &caller.actor(), &id)
        .await
        .map_err(|e| lifecycle_error(&id, e))?;
    Ok(Json(json!({})))
}

fn lifecycle_error(id: &str, error: LifecycleError) -> MlflowError {
    match error {
        LifecycleError::NotFound => run_missing(id),
        LifecycleError::ExperimentDeleted => MlflowError::invalid(format!(
            "The run {id} belongs to a deleted experiment: restore the experiment first."
        )),
        LifecycleError::Database(e) => MlflowError::internal("deleting or restoring a run", e),
    }
}
