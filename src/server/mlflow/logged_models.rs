//! MLflow 3's logged models (`logged-models/*`, `runs/outputs`): what `mlflow.<flavor>.log_model`
//! creates, uploads into, finalizes and links to its run. Atelier keeps a logged model's files
//! with the run that logged it, so the model's `artifact_uri` is a folder of that run's
//! artifacts (`mlflow-artifacts:/runs/{run}/{folder}`): the run's artifact endpoints store and
//! serve them, the studio's run page lists them, and `runs:/{run}/{folder}` registers them.
//! Searching is in `logged_model_search`, JSON shapes in `logged_model_wire`.

use std::collections::HashMap;

use axum::extract::Path;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments::{self as api_experiments, check_tag};
use super::logged_model_wire::{final_status, model_json};
use super::runs::check_param;
use super::wire::KeyValue;
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::server::authz::Authorized;
use crate::server::db::logged_model_edits::{self, ModelEdit};
use crate::server::db::logged_models::{self, ChangeError, LoggedModelRecord, NewLoggedModel};
use crate::server::db::runs::{self, RunRecord};
use crate::server::db::scopes::WorkspaceScope;

type Answer = Result<Json<Value>, MlflowError>;

/// MLflow's name for a model logged without one.
const DEFAULT_NAME: &str = "model";
/// MLflow's rule for logged model names; a name is also the model's folder in its run.
const BAD_NAME_CHARACTERS: &[char] = &['/', ':', '.', '%', '"', '\''];

fn model_missing(id: &str) -> MlflowError {
    MlflowError::not_found(format!("Logged model with ID '{id}' not found."))
}

fn change_error(id: &str, error: ChangeError) -> MlflowError {
    match error {
        ChangeError::NotFound => model_missing(id),
        ChangeError::RunNotFound => MlflowError::not_found(format!("Run with id={id} not found")),
        ChangeError::OtherExperiment(experiment) => MlflowError::invalid(format!(
            "The run is in experiment {experiment}: a logged model belongs to the experiment of \
             the run that logs it."
        )),
        ChangeError::ParamChanged { key, old, new } => MlflowError::invalid(format!(
            "Changing param values is not allowed. Param with key='{key}' was already logged \
             with value='{old}' for logged model ID='{id}'. Attempted logging new value '{new}'."
        )),
        ChangeError::NoSuchTag(key) => {
            MlflowError::not_found(format!("No tag with key '{key}' on logged model {id}."))
        }
        ChangeError::Database(e) => MlflowError::internal("changing a logged model", e),
    }
}

async fn load(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<LoggedModelRecord, MlflowError> {
    logged_models::get(&caller.state.pool, ws, id)
        .await
        .map_err(|e| MlflowError::internal("reading a logged model", e))?
        .ok_or_else(|| model_missing(id))
}

/// The run and folder holding a logged model's files: what registering `models:/m-…` copies.
pub(super) async fn files_of(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
) -> Result<(String, String), MlflowError> {
    let model = load(caller, ws, id).await?;
    Ok((model.run, model.artifact_path))
}

/// A run of the workspace that takes changes (the studio's view of runs).
async fn active_run(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
) -> Result<RunRecord, MlflowError> {
    runs::get(&caller.state.pool, ws, run)
        .await
        .map_err(|e| MlflowError::internal("reading a run", e))?
        .ok_or_else(|| MlflowError::not_found(format!("Run with id={run} not found")))
}

/// The `{model_id}` (and `{tag_key}`) of the address.
fn path_part(params: &HashMap<String, String>, key: &str) -> String {
    params.get(key).cloned().unwrap_or_default()
}

fn pairs(items: &[KeyValue]) -> Vec<(String, String)> {
    items.iter().map(|kv| (kv.key.clone(), kv.value.clone())).collect()
}

fn checked_params(params: &[KeyValue]) -> Result<Vec<(String, String)>, MlflowError> {
    for kv in params {
        check_param(&kv.key, &kv.value)?;
    }
    Ok(pairs(params))
}

fn checked_tags(tags: &[KeyValue]) -> Result<Vec<(String, String)>, MlflowError> {
    for kv in tags {
        check_tag(&kv.key, &kv.value)?;
    }
    Ok(pairs(tags))
}

fn check_name(name: &str) -> Result<(), MlflowError> {
    if name.contains(BAD_NAME_CHARACTERS) || StoredPath::parse(name).is_err() {
        return Err(MlflowError::invalid(format!(
            "Invalid model name ({name:?}) provided. Model name must be a non-empty string, at \
             most 1024 characters, and cannot contain the following characters: / : . % \" '"
        )));
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct CreateBody {
    #[serde(default)]
    experiment_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    model_type: Option<String>,
    #[serde(default)]
    source_run_id: Option<String>,
    #[serde(default)]
    params: Vec<KeyValue>,
    #[serde(default)]
    tags: Vec<KeyValue>,
}

pub async fn create(caller: Caller, JsonBody(body): JsonBody<CreateBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let run = body.source_run_id.filter(|r| !r.is_empty()).ok_or_else(|| {
        MlflowError::invalid(
            "Atelier keeps a logged model's files with the run that logged it: log the model \
             inside `with mlflow.start_run():` (or give source_run_id).",
        )
    })?;
    let experiment_id = body.experiment_id.filter(|e| !e.is_empty()).ok_or_else(|| {
        MlflowError::invalid("Missing value for required parameter 'experiment_id'.")
    })?;
    let name = body.name.filter(|n| !n.is_empty()).unwrap_or_else(|| DEFAULT_NAME.to_owned());
    check_name(&name)?;
    let params = checked_params(&body.params)?;
    let tags = checked_tags(&body.tags)?;
    let experiment = api_experiments::by_id(&caller, &ws, &experiment_id).await?;
    // The run must be one that takes changes (not deleted), in that experiment.
    let source = active_run(&caller, &ws, &run).await?;
    if source.experiment_id != experiment.id {
        return Err(MlflowError::invalid(format!(
            "Run {run} is in experiment {}, not {experiment_id}: a logged model belongs to the \
             experiment of the run that logs it.",
            source.experiment_id
        )));
    }
    let new = NewLoggedModel {
        run: &run,
        experiment_id: experiment.id,
        name: &name,
        model_type: body.model_type.as_deref().unwrap_or_default(),
        params: &params,
        tags: &tags,
    };
    let id = logged_models::create(&caller.state.pool, &ws, &caller.actor(), &new)
        .await
        .map_err(|e| change_error(&run, e))?;
    Ok(Json(json!({ "model": model_json(&load(&caller, &ws, &id).await?) })))
}

/// A logged model. A deleted one is gone (its files stay with its run), so `allow_deleted`
/// finds nothing more.
pub async fn get(caller: Caller, Path(params): Path<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::RunsRead).await?;
    let id = path_part(&params, "model_id");
    Ok(Json(json!({ "model": model_json(&load(&caller, &ws, &id).await?) })))
}

#[derive(Deserialize)]
pub struct FinalizeBody {
    #[serde(default)]
    status: Value,
}

pub async fn finalize(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<FinalizeBody>,
) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = path_part(&params, "model_id");
    let status = final_status(&body.status).ok_or_else(|| {
        MlflowError::invalid(format!(
            "Invalid value {} for parameter 'status': use LOGGED_MODEL_READY or \
             LOGGED_MODEL_UPLOAD_FAILED.",
            body.status
        ))
    })?;
    edit(&caller, &ws, &id, ModelEdit::Finalize(status)).await?;
    Ok(Json(json!({ "model": model_json(&load(&caller, &ws, &id).await?) })))
}

async fn edit(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    id: &str,
    change: ModelEdit<'_>,
) -> Result<(), MlflowError> {
    logged_model_edits::edit(&caller.state.pool, ws, id, change)
        .await
        .map_err(|e| change_error(id, e))
}

/// Deletes the model's record; its files stay with its run (delete the run to remove them).
pub async fn delete(caller: Caller, Path(params): Path<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::RunsDelete).await?;
    let id = path_part(&params, "model_id");
    logged_models::delete(&caller.state.pool, &ws, &caller.actor(), &id)
        .await
        .map_err(|e| change_error(&id, e))?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct PairsBody {
    #[serde(default)]
    tags: Vec<KeyValue>,
    #[serde(default)]
    params: Vec<KeyValue>,
}

pub async fn set_tags(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<PairsBody>,
) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = path_part(&params, "model_id");
    let tags = checked_tags(&body.tags)?;
    edit(&caller, &ws, &id, ModelEdit::SetTags(&tags)).await?;
    Ok(Json(json!({ "model": model_json(&load(&caller, &ws, &id).await?) })))
}

pub async fn delete_tag(caller: Caller, Path(params): Path<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = path_part(&params, "model_id");
    let key = path_part(&params, "tag_key");
    edit(&caller, &ws, &id, ModelEdit::DeleteTag(&key)).await?;
    Ok(Json(json!({})))
}

pub async fn log_params(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    JsonBody(body): JsonBody<PairsBody>,
) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let id = path_part(&params, "model_id");
    let params = checked_params(&body.params)?;
    edit(&caller, &ws, &id, ModelEdit::AddParams(&params)).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct OutputsBody {
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    models: Vec<ModelOutput>,
}

#[derive(Deserialize)]
pub struct ModelOutput {
    #[serde(default)]
    model_id: String,
    #[serde(default)]
    step: i64,
}

/// MLflow's LogOutputs: the models a run produced, at a step (`outputs` of runs/get).
pub async fn log_outputs(caller: Caller, JsonBody(body): JsonBody<OutputsBody>) -> Answer {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let run = body
        .run_id
        .filter(|r| !r.is_empty())
        .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'run_id'."))?;
    let outputs: Vec<(String, i64)> =
        body.models.into_iter().map(|m| (m.model_id, m.step)).collect();
    active_run(&caller, &ws, &run).await?;
    logged_model_edits::log_outputs(&caller.state.pool, &ws, &run, &outputs).await.map_err(
        |e| match e {
            ChangeError::NotFound => MlflowError::not_found(
                "A logged model named in 'models' does not exist in this workspace.",
            ),
            e => change_error(&run, e),
        },
    )?;
    Ok(Json(json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_folder_without_mlflows_forbidden_characters() {
        assert!(check_name("model").is_ok());
        assert!(check_name("my model-2").is_ok());
        for bad in ["", "a/b", "m.pkl", "a:b", "50%", "it's", "..", " "] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
