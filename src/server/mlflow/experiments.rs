//! `experiments/*`: create, read by id or name, search, rename and tag a workspace's
//! experiments. Ids are Atelier's experiment ids as strings; "0", MLflow's default experiment,
//! is the workspace's experiment named "Default".

use std::collections::{BTreeSet, HashMap};

use axum::extract::Query;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::filter::{Field, Order};
use super::query::{OwnedActual, Search};
use super::wire::{self, KeyValue, DEFAULT_EXPERIMENT, DEFAULT_EXPERIMENT_ID, NOTE_TAG};
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::domain::{Description, ExperimentName, Tags};
use crate::server::authz::Authorized;
use crate::server::db::experiments::{self, ChangeError, ExperimentFields, ExperimentRecord};
use crate::server::db::run_lifecycle::{self, LifecycleError};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::tracking::{self, ExperimentEdit};

/// MLflow's limits on tags.
pub const MAX_TAG_KEY: usize = 250;
pub const MAX_TAG_VALUE: usize = 8000;
/// The most experiments a search looks through.
const SEARCH_LIMIT: i64 = 50_000;

type Answer = Result<Json<Value>, MlflowError>;

#[derive(Deserialize)]
pub struct CreateBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    tags: Vec<KeyValue>,
}

pub async fn create(caller: Caller, JsonBody(body): JsonBody<CreateBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsWrite).await?;
    if body.name.trim().is_empty() {
        return Err(MlflowError::invalid("Missing value for required parameter 'name'."));
    }
    let name = ExperimentName::parse(&body.name).map_err(|e| MlflowError::invalid(e.0))?;
    let mut pairs = Vec::new();
    let mut note = String::new();
    for tag in &body.tags {
        check_tag(&tag.key, &tag.value)?;
        if tag.key == NOTE_TAG {
            note = tag.value.clone();
        } else {
            pairs.push((tag.key.clone(), tag.value.clone()));
        }
    }
    let description = Description::parse(&note).map_err(|e| MlflowError::invalid(e.0))?;
    let record = create_named(&caller, &ws, &name, &description, Tags::from_pairs(pairs)).await?;
    Ok(Json(json!({ "experiment_id": record.id.to_string() })))
}

async fn create_named(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    name: &ExperimentName,
    description: &Description,
    tags: Tags,
) -> Result<ExperimentRecord, MlflowError> {
    let pool = &caller.state.pool;
    let fields = ExperimentFields { name, description, tags: &tags };
    match experiments::create(pool, ws, &caller.actor(), &fields).await {
        Ok(()) => {}
        Err(ChangeError::NameTaken) => {
            return Err(MlflowError::already_exists(format!(
                "Experiment '{}' already exists.",
                name.as_str()
            )))
        }
        Err(ChangeError::NameHeldByDeleted { .. }) => {
            return Err(MlflowError::already_exists(format!(
                "Experiment '{}' already exists in deleted state. You can restore the \
                 experiment, or wait until Atelier removes it for good.",
                name.as_str()
            )))
        }
        Err(e) => return Err(MlflowError::internal("creating an experiment", e)),
    }
    experiments::get(pool, ws, name.as_str())
        .await
        .map_err(|e| MlflowError::internal("reading an experiment", e))?
        .ok_or_else(|| MlflowError::internal("reading an experiment", "gone after creation"))
}

pub async fn get(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsRead).await?;
    let id = query.get("experiment_id").map(String::as_str).unwrap_or_default();
    let experiment = by_id(&caller, &ws, id).await?;
    Ok(Json(json!({ "experiment": wire::experiment(&experiment) })))
}

pub async fn get_by_name(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsRead).await?;
    let name = query.get("experiment_name").map(String::as_str).unwrap_or_default();
    if name.is_empty() {
        return Err(MlflowError::invalid(
            "Missing value for required parameter 'experiment_name'.",
        ));
    }
    let experiment = experiments::get_including_deleted(&caller.state.pool, &ws, name)
        .await
        .map_err(|e| MlflowError::internal("reading an experiment", e))?
        .ok_or_else(|| {
            MlflowError::not_found(format!("Could not find experiment with name '{name}'"))
        })?;
    Ok(Json(json!({ "experiment": wire::experiment(&experiment) })))
}

/// The experiment an API id names in the workspace ("0": the Default experiment), deleted or
/// not.
pub async fn by_id(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<ExperimentRecord, MlflowError> {
    let missing = || MlflowError::not_found(format!("No Experiment with id={id} exists"));
    let pool = &caller.state.pool;
    let found = if id == DEFAULT_EXPERIMENT_ID {
        experiments::get_including_deleted(pool, ws, DEFAULT_EXPERIMENT).await
    } else {
        let Ok(number) = id.parse::<i64>() else {
            return Err(missing());
        };
        tracking::experiment_by_id(pool, ws, number).await
    };
    found.map_err(|e| MlflowError::internal("reading an experiment", e))?.ok_or_else(missing)
}

/// The ids of the experiments `ids` name in the workspace, each once: ids of none (or of ones
/// the token may not read) name nothing to search, and an id given many times is looked up,
/// and bound in the search's query, once.
pub async fn existing_ids(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    ids: &[String],
) -> Result<Vec<i64>, MlflowError> {
    let mut numbers: Vec<i64> = Vec::with_capacity(ids.len());
    let mut found = Vec::new();
    for id in ids.iter().collect::<BTreeSet<_>>() {
        if id == DEFAULT_EXPERIMENT_ID {
            // The default experiment is found by its name.
            if let Ok(experiment) = by_id(caller, ws, id).await {
                found.push(experiment.id);
            }
        } else if let Ok(number) = id.parse::<i64>() {
            numbers.push(number);
        }
    }
    let among = tracking::experiment_ids_among(&caller.state.pool, ws, &numbers)
        .await
        .map_err(|e| MlflowError::internal("reading the experiments searched", e))?;
    found.extend(among);
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// An experiment that may change: not deleted (MLflow's message otherwise).
pub async fn active_by_id(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<ExperimentRecord, MlflowError> {
    let experiment = by_id(caller, ws, id).await?;
    if experiment.deleted_at.is_some() {
        return Err(not_active(id));
    }
    Ok(experiment)
}

fn not_active(id: &str) -> MlflowError {
    MlflowError::invalid(format!(
        "The experiment {id} must be in the 'active' state. Current state is deleted."
    ))
}

/// The experiment runs are created in: "0" makes the Default experiment on first use, as
/// MLflow's server has one from the start. A deleted experiment takes no runs.
pub async fn for_new_run(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<ExperimentRecord, MlflowError> {
    match active_by_id(caller, ws, id).await {
        Err(e) if id == DEFAULT_EXPERIMENT_ID && e.code() == "RESOURCE_DOES_NOT_EXIST" => {
            let write = caller.workspace(Action::ExperimentsWrite).await?;
            let name =
                ExperimentName::parse(DEFAULT_EXPERIMENT).map_err(|e| MlflowError::invalid(e.0))?;
            let empty = Description::parse("").map_err(|e| MlflowError::invalid(e.0))?;
            match create_named(caller, &write, &name, &empty, Tags::from_pairs(Vec::new())).await {
                // Another process made it first.
                Err(e) if e.code() == "RESOURCE_ALREADY_EXISTS" => {
                    active_by_id(caller, ws, id).await
                }
                other => other,
            }
        }
        other => other,
    }
}

#[derive(Deserialize, Default)]
pub struct SearchBody {
    #[serde(default)]
    max_results: Option<i64>,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    order_by: Vec<String>,
    #[serde(default)]
    page_token: Option<String>,
    #[serde(default)]
    view_type: Option<String>,
}

pub async fn search(caller: Caller, JsonBody(body): JsonBody<SearchBody>) -> Answer {
    search_with(caller, body).await
}

pub async fn search_get(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let body = SearchBody {
        max_results: query.get("max_results").and_then(|n| n.parse().ok()),
        filter: query.get("filter").cloned(),
        order_by: query.get("order_by").cloned().into_iter().collect(),
        page_token: query.get("page_token").cloned(),
        view_type: query.get("view_type").cloned(),
    };
    search_with(caller, body).await
}

async fn search_with(caller: Caller, body: SearchBody) -> Answer {
    let ws = caller.workspace(Action::ExperimentsRead).await?;
    let search = Search::parse(
        body.max_results,
        body.filter.as_deref(),
        &body.order_by,
        body.page_token.as_deref(),
        |field| match field {
            Field::Tag(_) => Ok(()),
            Field::Attribute(a) if ATTRIBUTES.contains(&a.as_str()) => Ok(()),
            other => Err(format!(
                "Invalid attribute key {other:?} for experiments: use name, creation_time, \
                 last_update_time or tags."
            )),
        },
    )?;
    let view = wire::ViewType::parse(body.view_type.as_deref())?;
    let mut all = tracking::all_experiments(&caller.state.pool, &ws, SEARCH_LIMIT)
        .await
        .map_err(|e| MlflowError::internal("searching experiments", e))?;
    all.retain(|e| view.shows(e.deleted_at));
    let newest_first = Order { field: Field::Attribute("creation_time".into()), ascending: false };
    let (page, next) = search.page(&all, value_of, newest_first, |a, b| b.id.cmp(&a.id));
    let page: Vec<Value> = page.into_iter().map(wire::experiment).collect();
    let mut answer = json!({ "experiments": page });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}

const ATTRIBUTES: &[&str] = &["name", "creation_time", "last_update_time", "experiment_id"];

/// What an experiment has for a field of a search.
fn value_of(e: &ExperimentRecord, field: &Field) -> Option<OwnedActual> {
    match field {
        Field::Tag(key) if key == NOTE_TAG => Some(OwnedActual::Text(e.description.clone())),
        Field::Tag(key) => {
            e.tags.iter().find(|(k, _)| k == key).map(|(_, v)| OwnedActual::Text(v.clone()))
        }
        Field::Attribute(a) => Some(match a.as_str() {
            "name" => OwnedActual::Text(e.name.clone()),
            "experiment_id" => OwnedActual::Text(e.id.to_string()),
            "creation_time" => OwnedActual::Number(wire::ms(e.created_at) as f64),
            _ => OwnedActual::Number(wire::ms(e.updated_at) as f64),
        }),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct UpdateBody {
    #[serde(default)]
    experiment_id: String,
    #[serde(default)]
    new_name: Option<String>,
}

pub async fn update(caller: Caller, JsonBody(body): JsonBody<UpdateBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsWrite).await?;
    let experiment = by_id(&caller, &ws, &body.experiment_id).await?;
    if experiment.deleted_at.is_some() {
        return Err(MlflowError::invalid("Cannot rename a non-active experiment."));
    }
    if let Some(new_name) = body.new_name.filter(|n| !n.is_empty()) {
        let name = ExperimentName::parse(&new_name).map_err(|e| MlflowError::invalid(e.0))?;
        edit(&caller, &ws, experiment.id, ExperimentEdit::Rename(&name)).await?;
    }
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct TagBody {
    #[serde(default)]
    experiment_id: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

pub async fn set_tag(caller: Caller, JsonBody(body): JsonBody<TagBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsWrite).await?;
    let experiment = active_by_id(&caller, &ws, &body.experiment_id).await?;
    check_tag(&body.key, &body.value)?;
    let change = if body.key == NOTE_TAG {
        Description::parse(&body.value).map_err(|e| MlflowError::invalid(e.0))?;
        ExperimentEdit::Describe(&body.value)
    } else {
        ExperimentEdit::SetTag(&body.key, &body.value)
    };
    edit(&caller, &ws, experiment.id, change).await?;
    Ok(Json(json!({})))
}

pub async fn delete_tag(caller: Caller, JsonBody(body): JsonBody<TagBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsWrite).await?;
    let experiment = active_by_id(&caller, &ws, &body.experiment_id).await?;
    let change = if body.key == NOTE_TAG {
        ExperimentEdit::Describe("")
    } else if experiment.tags.iter().any(|(k, _)| *k == body.key) {
        ExperimentEdit::DeleteTag(&body.key)
    } else {
        return Err(MlflowError::not_found(format!(
            "No tag with name: {} in experiment {}.",
            body.key, body.experiment_id
        )));
    };
    edit(&caller, &ws, experiment.id, change).await?;
    Ok(Json(json!({})))
}

async fn edit(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: i64,
    change: ExperimentEdit<'_>,
) -> Result<(), MlflowError> {
    match tracking::edit_experiment(&caller.state.pool, ws, &caller.actor(), id, change).await {
        Ok(()) => Ok(()),
        Err(ChangeError::NameTaken) => {
            Err(MlflowError::already_exists("An experiment with that name already exists."))
        }
        Err(ChangeError::NotFound) => {
            Err(MlflowError::not_found(format!("No Experiment with id={id} exists")))
        }
        Err(e) => Err(MlflowError::internal("changing an experiment", e)),
    }
}

/// MLflow's limits on a tag's key and value.
pub fn check_tag(key: &str, value: &str) -> Result<(), MlflowError> {
    if key.is_empty() {
        return Err(MlflowError::invalid("Missing value for required parameter 'key'."));
    }
    if key.chars().count() > MAX_TAG_KEY {
        return Err(MlflowError::invalid(format!(
            "Tag key '{}' had length {}, which exceeded length limit of {MAX_TAG_KEY}",
            key.chars().take(50).collect::<String>(),
            key.chars().count()
        )));
    }
    if value.chars().count() > MAX_TAG_VALUE {
        return Err(MlflowError::invalid(format!(
            "Tag value for key '{key}' had length {}, which exceeded length limit of {MAX_TAG_VALUE}",
            value.chars().count()
        )));
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct IdBody {
    #[serde(default)]
    experiment_id: String,
}

/// Marks the experiment and its runs deleted, restorable for the retention window
/// (`ATELIER_RUN_RETENTION_DAYS`); the studio stops showing them at once.
pub async fn delete(caller: Caller, JsonBody(body): JsonBody<IdBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsDelete).await?;
    let experiment = by_id(&caller, &ws, &body.experiment_id).await?;
    let state = &caller.state;
    let days = state.settings.run_retention_days;
    run_lifecycle::delete_experiment(&state.pool, &ws, &caller.actor(), experiment.id, days)
        .await
        .map_err(|e| lifecycle_error(&body.experiment_id, e))?;
    Ok(Json(json!({})))
}

/// Brings a deleted experiment back with the runs deleted along with it.
pub async fn restore(caller: Caller, JsonBody(body): JsonBody<IdBody>) -> Answer {
    let ws = caller.workspace(Action::ExperimentsWrite).await?;
    let experiment = by_id(&caller, &ws, &body.experiment_id).await?;
    run_lifecycle::restore_experiment(&caller.state.pool, &ws, &caller.actor(), experiment.id)
        .await
        .map_err(|e| lifecycle_error(&body.experiment_id, e))?;
    Ok(Json(json!({})))
}

fn lifecycle_error(id: &str, error: LifecycleError) -> MlflowError {
    match error {
        LifecycleError::Database(e) => MlflowError::internal("deleting or restoring", e),
        // Deleting a deleted experiment or restoring a live one, as MLflow answers.
        _ => MlflowError::not_found(format!("No Experiment with id={id} exists")),
    }
}
