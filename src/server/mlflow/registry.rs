//! MLflow's model registry (`registered-models/*`, `model-versions/*`) over the workspace's
//! models: the same models, versions, stages and files the studio's Models pages show. A
//! version created from `runs:/{run}/{path}` (or the `mlflow-artifacts:/runs/{run}/{path}` the
//! client resolves it to) copies that path's outputs into the version, as the studio does.

use std::collections::HashMap;

use axum::extract::Query;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::experiments::check_tag;
use super::filter::{Field, Order};
use super::query::{OwnedActual, Search};
use super::wire::{self, KeyValue};
use super::{Caller, JsonBody, MlflowError};
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::domain::{Description, Framework, ModelName, ModelStage, Tags};
use crate::error::ErrorKind;
use crate::server::authz::Authorized;
use crate::server::db::model_registry::{self, RenameError};
use crate::server::db::model_versions::{self, NewVersion, SourceRun, VersionRecord};
use crate::server::db::models::{self, ChangeError, ModelRecord};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::model_files::{self, Artifact};

type Answer = Result<Json<Value>, MlflowError>;
const SEARCH_LIMIT: i64 = 50_000;

fn model_missing(name: &str) -> MlflowError {
    MlflowError::not_found(format!("Registered Model with name={name} not found"))
}

fn version_missing(name: &str, version: i64) -> MlflowError {
    MlflowError::not_found(format!("Model Version (name={name}, version={version}) not found"))
}

fn required<'a>(value: &'a Option<String>, what: &str) -> Result<&'a str, MlflowError> {
    value.as_deref().filter(|v| !v.is_empty()).ok_or_else(|| {
        MlflowError::invalid(format!("Missing value for required parameter '{what}'."))
    })
}

fn version_number(value: &Option<String>) -> Result<i64, MlflowError> {
    let text = required(value, "version")?;
    text.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
        MlflowError::invalid(format!("Model version must be a positive integer, not {text:?}."))
    })
}

fn internal(what: &'static str) -> impl Fn(sqlx::Error) -> MlflowError {
    move |e| MlflowError::internal(what, e)
}

/// A version as MLflow shows it.
fn version_json(model: &ModelRecord, v: &VersionRecord, aliases: &[(String, i64)]) -> Value {
    let run_id = match &v.source_run {
        SourceRun::Run { name, .. } | SourceRun::Deleted { name } => name.clone(),
        SourceRun::None => String::new(),
    };
    let aliases: Vec<&str> =
        aliases.iter().filter(|(_, n)| *n == v.version).map(|(a, _)| a.as_str()).collect();
    // A version registered from a logged model keeps `models:/m-…` as its source, as MLflow's
    // do; its files are read through the download URI either way.
    let source = match &v.logged_model_id {
        Some(id) => format!("models:/{id}"),
        None => download_uri(&model.name, v.version),
    };
    let mut version = json!({
        "name": model.name,
        "version": v.version.to_string(),
        "creation_timestamp": wire::ms(v.created_at),
        "last_updated_timestamp": wire::ms(v.created_at),
        "user_id": v.created_by,
        "current_stage": v.stage.as_str(),
        "description": v.description,
        "source": source,
        "run_id": run_id,
        "run_link": "",
        "status": "READY",
        "tags": wire::key_values(&v.tags),
        "aliases": aliases,
    });
    if let Some(id) = &v.logged_model_id {
        version["model_id"] = json!(id);
    }
    version
}

/// Where a version's files are read from: the proxied artifact endpoints of this workspace.
fn download_uri(model: &str, version: i64) -> String {
    format!("mlflow-artifacts:/models/{model}/{version}")
}

fn model_json(model: &ModelRecord, versions: &[VersionRecord], aliases: &[(String, i64)]) -> Value {
    json!({
        "name": model.name,
        "creation_timestamp": wire::ms(model.created_at),
        "last_updated_timestamp": wire::ms(model.updated_at),
        "user_id": model.created_by,
        "description": model.description,
        "latest_versions": latest_per_stage(versions, &[])
            .into_iter()
            .map(|v| version_json(model, v, aliases))
            .collect::<Vec<_>>(),
        "tags": wire::key_values(&model.tags),
        "aliases": aliases
            .iter()
            .map(|(alias, version)| json!({ "alias": alias, "version": version.to_string() }))
            .collect::<Vec<_>>(),
    })
}

/// The newest version in each stage (only `stages`, when given), in stage order.
fn latest_per_stage<'a>(
    versions: &'a [VersionRecord],
    stages: &[ModelStage],
) -> Vec<&'a VersionRecord> {
    ModelStage::ALL
        .iter()
        .filter(|s| stages.is_empty() || stages.contains(s))
        .filter_map(|stage| versions.iter().filter(|v| v.stage == *stage).max_by_key(|v| v.version))
        .collect()
}

/// A model with its versions (newest first) and aliases.
struct Loaded {
    model: ModelRecord,
    versions: Vec<VersionRecord>,
    aliases: Vec<(String, i64)>,
}

impl Loaded {
    fn version(&self, number: i64) -> Result<&VersionRecord, MlflowError> {
        self.versions
            .iter()
            .find(|v| v.version == number)
            .ok_or_else(|| version_missing(&self.model.name, number))
    }

    fn version_json(&self, number: i64) -> Result<Value, MlflowError> {
        Ok(version_json(&self.model, self.version(number)?, &self.aliases))
    }

    fn model_json(&self) -> Value {
        model_json(&self.model, &self.versions, &self.aliases)
    }
}

async fn load(
    caller: &Caller,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Loaded, MlflowError> {
    let pool = &caller.state.pool;
    let model = models::get(pool, ws, name)
        .await
        .map_err(internal("reading a model"))?
        .ok_or_else(|| model_missing(name))?;
    let versions = model_versions::for_model(pool, ws, model.id)
        .await
        .map_err(internal("reading versions"))?;
    let aliases =
        model_registry::aliases(pool, ws, model.id).await.map_err(internal("reading aliases"))?;
    Ok(Loaded { model, versions, aliases })
}

fn change_error(name: &str, error: ChangeError) -> MlflowError {
    match error {
        ChangeError::NotFound => model_missing(name),
        ChangeError::RunNotFound => {
            MlflowError::not_found("The source run does not exist in this workspace.")
        }
        ChangeError::ArtifactNotFound(path) => {
            MlflowError::invalid(format!("The source run has no artifacts at '{path}'."))
        }
        ChangeError::Deployed { endpoint, deployment, version } => MlflowError::invalid(format!(
            "Version {version} is served by deployment {deployment} of endpoint {endpoint}: \
             remove the deployment first."
        )),
        ChangeError::Database(e) => MlflowError::internal("changing a model", e),
    }
}

fn parse_name(name: &Option<String>) -> Result<ModelName, MlflowError> {
    ModelName::parse(required(name, "name")?).map_err(|e| MlflowError::invalid(e.0))
}

fn tags_of(tags: &[KeyValue]) -> Result<Tags, MlflowError> {
    for tag in tags {
        check_tag(&tag.key, &tag.value)?;
    }
    Ok(Tags::from_pairs(tags.iter().map(|t| (t.key.clone(), t.value.clone())).collect()))
}

fn description(text: &Option<String>) -> Result<Description, MlflowError> {
    Description::parse(text.as_deref().unwrap_or_default()).map_err(|e| MlflowError::invalid(e.0))
}

#[derive(Deserialize, Default)]
pub struct ModelBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    new_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tags: Vec<KeyValue>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    stages: Vec<String>,
}

pub async fn create_model(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = parse_name(&body.name)?;
    let created = model_registry::create_model(
        &caller.state.pool,
        &ws,
        &caller.actor(),
        &name,
        &description(&body.description)?,
        &tags_of(&body.tags)?,
    )
    .await
    .map_err(internal("registering a model"))?;
    if !created {
        return Err(MlflowError::already_exists(format!(
            "Registered Model (name={}) already exists.",
            name.as_str()
        )));
    }
    let loaded = load(&caller, &ws, name.as_str()).await?;
    Ok(Json(json!({ "registered_model": loaded.model_json() })))
}

pub async fn get_model(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let name = required(&query.get("name").cloned(), "name")?.to_owned();
    Ok(Json(json!({ "registered_model": load(&caller, &ws, &name).await?.model_json() })))
}

pub async fn rename_model(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let new_name = ModelName::parse(required(&body.new_name, "new_name")?)
        .map_err(|e| MlflowError::invalid(e.0))?;
    model_registry::rename_model(&caller.state.pool, &ws, &caller.actor(), name, &new_name)
        .await
        .map_err(|e| match e {
        RenameError::Taken => MlflowError::already_exists(format!(
            "Registered Model (name={}) already exists.",
            new_name.as_str()
        )),
        RenameError::Change(e) => change_error(name, e),
    })?;
    Ok(Json(
        json!({ "registered_model": load(&caller, &ws, new_name.as_str()).await?.model_json() }),
    ))
}

pub async fn update_model(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let loaded = load(&caller, &ws, name).await?;
    let text = description(&body.description)?;
    let tags = Tags::from_pairs(loaded.model.tags.clone());
    models::update(&caller.state.pool, &ws, &caller.actor(), name, &text, &tags)
        .await
        .map_err(|e| change_error(name, e))?;
    Ok(Json(json!({ "registered_model": load(&caller, &ws, name).await?.model_json() })))
}

pub async fn delete_model(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsDelete).await?;
    let name = required(&body.name, "name")?;
    load(&caller, &ws, name).await?;
    let state = &caller.state;
    model_files::delete(&state.pool, &state.settings.data_dir, &ws, &caller.actor(), name)
        .await
        .map_err(MlflowError::from)?;
    Ok(Json(json!({})))
}

/// A model's tag set or removed (`value` None).
pub async fn model_tag(caller: &Caller, body: &ModelBody, set: bool) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let key = required(&body.key, "key")?;
    let loaded = load(caller, &ws, name).await?;
    let what = format!("registered model {name}");
    let tags = edited_tags(
        &loaded.model.tags,
        key,
        set.then(|| body.value.clone().unwrap_or_default()),
        &what,
    )?;
    let text =
        Description::parse(&loaded.model.description).map_err(|e| MlflowError::invalid(e.0))?;
    models::update(&caller.state.pool, &ws, &caller.actor(), name, &text, &Tags::from_pairs(tags))
        .await
        .map_err(|e| change_error(name, e))?;
    Ok(Json(json!({})))
}

/// `tags` with `key` set to `value`, or removed when `value` is None (refused when absent).
fn edited_tags(
    tags: &[(String, String)],
    key: &str,
    value: Option<String>,
    what: &str,
) -> Result<Vec<(String, String)>, MlflowError> {
    let mut tags = tags.to_vec();
    match value {
        Some(value) => {
            check_tag(key, &value)?;
            match tags.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1 = value,
                None => tags.push((key.to_owned(), value)),
            }
        }
        None if tags.iter().any(|(k, _)| k == key) => tags.retain(|(k, _)| k != key),
        None => return Err(MlflowError::not_found(format!("No tag with key '{key}' on {what}."))),
    }
    Ok(tags)
}

pub async fn set_model_tag(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    model_tag(&caller, &body, true).await
}

pub async fn delete_model_tag(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    model_tag(&caller, &body, false).await
}

pub async fn latest_versions(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let name = required(&body.name, "name")?;
    let stages = body
        .stages
        .iter()
        .map(|s| ModelStage::parse(s).map_err(|e| MlflowError::invalid(e.0)))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = load(&caller, &ws, name).await?;
    let versions: Vec<Value> = latest_per_stage(&loaded.versions, &stages)
        .into_iter()
        .map(|v| version_json(&loaded.model, v, &loaded.aliases))
        .collect();
    Ok(Json(json!({ "model_versions": versions })))
}

pub async fn set_alias(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let alias = required(&body.alias, "alias")?;
    check_alias(alias)?;
    let version = version_number(&body.version)?;
    model_registry::set_alias(&caller.state.pool, &ws, &caller.actor(), (name, version), alias)
        .await
        .map_err(|e| match e {
            ChangeError::NotFound => version_missing(name, version),
            e => change_error(name, e),
        })?;
    Ok(Json(json!({})))
}

/// MLflow's rule: an alias is a name, not a version (`v3`) nor `latest`.
fn check_alias(alias: &str) -> Result<(), MlflowError> {
    let reserved = alias.eq_ignore_ascii_case("latest")
        || (alias.len() > 1
            && alias.starts_with(['v', 'V'])
            && alias[1..].bytes().all(|b| b.is_ascii_digit()));
    let shape =
        alias.len() <= 255 && alias.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
    if reserved || !shape {
        return Err(MlflowError::invalid(format!(
            "Invalid alias name: '{alias}'. Aliases have letters, digits, '_' and '-' (at most \
             255), and cannot be 'latest' or look like a version ('v3')."
        )));
    }
    Ok(())
}

pub async fn delete_alias(caller: Caller, JsonBody(body): JsonBody<ModelBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let alias = required(&body.alias, "alias")?;
    model_registry::delete_alias(&caller.state.pool, &ws, &caller.actor(), name, alias)
        .await
        .map_err(|e| match e {
            ChangeError::NotFound => {
                MlflowError::not_found(format!("Registered model {name} has no alias {alias}."))
            }
            e => change_error(name, e),
        })?;
    Ok(Json(json!({})))
}

pub async fn version_by_alias(
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let name = required(&query.get("name").cloned(), "name")?.to_owned();
    let alias = required(&query.get("alias").cloned(), "alias")?.to_owned();
    let loaded = load(&caller, &ws, &name).await?;
    let (_, version) = loaded.aliases.iter().find(|(a, _)| *a == alias).ok_or_else(|| {
        MlflowError::not_found(format!("Registered model alias {alias} not found."))
    })?;
    Ok(Json(json!({ "model_version": loaded.version_json(*version)? })))
}

#[derive(Deserialize)]
pub struct VersionBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tags: Vec<KeyValue>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    archive_existing_versions: Option<bool>,
    /// The logged model a version is registered from (MLflow 3).
    #[serde(default)]
    model_id: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

/// The logged model a source names: `models:/m-…` (a registered model's `models:/{name}/…`
/// is no source to register from).
fn logged_model_source(source: &str) -> Option<&str> {
    let id = source.strip_prefix("models:/")?.trim_matches('/');
    (id.starts_with("m-") && !id.contains('/')).then_some(id)
}

/// The run and the path in its artifacts a source names: `runs:/{run}/{path}`, or
/// `mlflow-artifacts:/runs/{run}/{path}` (with or without a host).
fn run_source(source: &str) -> Option<(String, String)> {
    let rest = source
        .strip_prefix("runs:/")
        .or_else(|| {
            let after = source.strip_prefix("mlflow-artifacts:")?;
            let after = after.trim_start_matches('/');
            // `mlflow-artifacts://host/…` carries a host before the path.
            let after = if source.starts_with("mlflow-artifacts://") {
                after.split_once('/').map(|(_, p)| p)?
            } else {
                after
            };
            after.strip_prefix("runs/")
        })?
        .trim_start_matches('/');
    let (run, path) = rest.split_once('/').unwrap_or((rest, ""));
    (!run.is_empty()).then(|| (run.to_owned(), path.trim_matches('/').to_owned()))
}

pub async fn create_version(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = parse_name(&body.name)?;
    let source = required(&body.source, "source")?;
    let given_model = body.model_id.as_deref().filter(|m| !m.is_empty());
    // A logged model's files are a folder of its source run's outputs: registering it copies
    // that folder, as `runs:/{run}/{folder}` would.
    let (run, path, logged_model) = match logged_model_source(source) {
        Some(id) => {
            if given_model.is_some_and(|given| given != id) {
                return Err(MlflowError::invalid(format!(
                    "The source names logged model {id} but model_id is {}.",
                    given_model.unwrap_or_default()
                )));
            }
            let (run, folder) = super::logged_models::files_of(&caller, &ws, id).await?;
            (run, folder, Some(id.to_owned()))
        }
        None => {
            let (run, path) = run_source(source).ok_or_else(|| {
                MlflowError::invalid(format!(
                    "Unsupported model source '{source}': register from runs:/<run id>/<path> \
                     (a run of this workspace) or models:/<logged model id>."
                ))
            })?;
            if let Some(id) = given_model {
                super::logged_models::files_of(&caller, &ws, id).await?;
            }
            (run, path, given_model.map(str::to_owned))
        }
    };
    if let Some(run_id) = body.run_id.as_deref().filter(|r| !r.is_empty()) {
        if run_id != run {
            return Err(MlflowError::invalid(format!(
                "The source names run {run} but run_id is {run_id}."
            )));
        }
    }
    let artifact = if path.is_empty() {
        None
    } else {
        Some(
            StoredPath::parse(&path)
                .map_err(|e| MlflowError::invalid(format!("Invalid source path: {}", e.0)))?,
        )
    };
    // Versions of a model registered by name only exist once the model does.
    load(&caller, &ws, name.as_str()).await?;
    let framework = Framework::parse("").map_err(|e| MlflowError::invalid(e.0))?;
    let empty = Description::parse("").map_err(|e| MlflowError::invalid(e.0))?;
    let no_tags = Tags::from_pairs(Vec::new());
    let new = NewVersion {
        model: &name,
        model_description: &empty,
        model_tags: &no_tags,
        source_run: Some(&run),
        framework: &framework,
        description: &description(&body.description)?,
        artifact: artifact.as_ref().map(StoredPath::as_str),
        logged_model: logged_model.as_deref(),
    };
    let files = match &artifact {
        Some(path) => Artifact::RunOutputs(path),
        None => Artifact::None,
    };
    let state = &caller.state;
    let registered = model_files::register(
        &state.pool,
        &state.settings.data_dir,
        &ws,
        &caller.actor(),
        &new,
        files,
    )
    .await
    .map_err(|e| match (e.kind, e.field.as_deref()) {
        (ErrorKind::NotFound, Some(crate::api::models::fields::ARTIFACT_PATH)) => {
            MlflowError::invalid(format!(
                "Run {run} has no artifacts at '{path}': log the model's files there first."
            ))
        }
        (ErrorKind::NotFound, _) => MlflowError::not_found(format!("Run with id={run} not found")),
        _ => MlflowError::from(e),
    })?;
    let tags = tags_of(&body.tags)?;
    if !tags.pairs().is_empty() {
        let text = description(&body.description)?;
        model_versions::update(
            &state.pool,
            &ws,
            &caller.actor(),
            (name.as_str(), registered.version),
            &text,
            &tags,
        )
        .await
        .map_err(|e| change_error(name.as_str(), e))?;
    }
    let loaded = load(&caller, &ws, name.as_str()).await?;
    Ok(Json(json!({ "model_version": loaded.version_json(registered.version)? })))
}

fn version_query(query: &HashMap<String, String>) -> Result<(String, i64), MlflowError> {
    let name = required(&query.get("name").cloned(), "name")?.to_owned();
    Ok((name, version_number(&query.get("version").cloned())?))
}

pub async fn get_version(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let (name, version) = version_query(&query)?;
    let loaded = load(&caller, &ws, &name).await?;
    Ok(Json(json!({ "model_version": loaded.version_json(version)? })))
}

pub async fn download_uri_of(
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let (name, version) = version_query(&query)?;
    let loaded = load(&caller, &ws, &name).await?;
    loaded.version(version)?;
    Ok(Json(json!({ "artifact_uri": download_uri(&loaded.model.name, version) })))
}

pub async fn update_version(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let version = version_number(&body.version)?;
    let loaded = load(&caller, &ws, name).await?;
    let tags = Tags::from_pairs(loaded.version(version)?.tags.clone());
    model_versions::update(
        &caller.state.pool,
        &ws,
        &caller.actor(),
        (name, version),
        &description(&body.description)?,
        &tags,
    )
    .await
    .map_err(|e| change_error(name, e))?;
    Ok(Json(json!({ "model_version": load(&caller, &ws, name).await?.version_json(version)? })))
}

async fn version_tag(caller: &Caller, body: &VersionBody, set: bool) -> Answer {
    let ws = caller.workspace(Action::ModelsWrite).await?;
    let name = required(&body.name, "name")?;
    let version = version_number(&body.version)?;
    let key = required(&body.key, "key")?;
    let loaded = load(caller, &ws, name).await?;
    let current = loaded.version(version)?;
    let what = format!("version {version} of {name}");
    let tags = edited_tags(
        &current.tags,
        key,
        set.then(|| body.value.clone().unwrap_or_default()),
        &what,
    )?;
    let text = Description::parse(&current.description).map_err(|e| MlflowError::invalid(e.0))?;
    model_versions::update(
        &caller.state.pool,
        &ws,
        &caller.actor(),
        (name, version),
        &text,
        &Tags::from_pairs(tags),
    )
    .await
    .map_err(|e| change_error(name, e))?;
    Ok(Json(json!({})))
}

pub async fn set_version_tag(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    version_tag(&caller, &body, true).await
}

pub async fn delete_version_tag(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    version_tag(&caller, &body, false).await
}

pub async fn delete_version(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsDelete).await?;
    let name = required(&body.name, "name")?;
    let version = version_number(&body.version)?;
    load(&caller, &ws, name).await?.version(version)?;
    let state = &caller.state;
    model_files::delete_version(
        &state.pool,
        &state.settings.data_dir,
        &ws,
        &caller.actor(),
        (name, version),
    )
    .await
    .map_err(MlflowError::from)?;
    Ok(Json(json!({})))
}

pub async fn transition_stage(caller: Caller, JsonBody(body): JsonBody<VersionBody>) -> Answer {
    let ws = caller.workspace(Action::ModelsStageWrite).await?;
    let name = required(&body.name, "name")?;
    let version = version_number(&body.version)?;
    let stage = ModelStage::parse(required(&body.stage, "stage")?)
        .map_err(|e| MlflowError::invalid(e.0))?;
    let loaded = load(&caller, &ws, name).await?;
    loaded.version(version)?;
    let pool = &caller.state.pool;
    let actor = caller.actor();
    if body.archive_existing_versions == Some(true) && stage == ModelStage::Staging {
        // Production archives the one it replaces anyway; for Staging MLflow archives the rest.
        for other in loaded.versions.iter().filter(|v| v.stage == stage && v.version != version) {
            model_versions::set_stage(
                pool,
                &ws,
                &actor,
                (name, other.version),
                ModelStage::Archived,
            )
            .await
            .map_err(|e| change_error(name, e))?;
        }
    }
    model_versions::set_stage(pool, &ws, &actor, (name, version), stage)
        .await
        .map_err(|e| change_error(name, e))?;
    Ok(Json(json!({ "model_version": load(&caller, &ws, name).await?.version_json(version)? })))
}

fn search_query(
    query: &HashMap<String, String>,
    attributes: &'static [&'static str],
) -> Result<Search, MlflowError> {
    let order_by: Vec<String> = query.get("order_by").cloned().into_iter().collect();
    Search::parse(
        query.get("max_results").and_then(|n| n.parse().ok()),
        query.get("filter").map(String::as_str),
        &order_by,
        query.get("page_token").map(String::as_str),
        move |field| match field {
            Field::Tag(_) => Ok(()),
            Field::Attribute(a) if attributes.contains(&a.as_str()) => Ok(()),
            other => Err(format!("Invalid filter key {other:?}: use {attributes:?} or tags.")),
        },
    )
    .map(Search::absent_tags_differ)
}

pub async fn search_models(caller: Caller, Query(query): Query<HashMap<String, String>>) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let search = search_query(&query, &["name", "creation_timestamp", "last_updated_timestamp"])?;
    let all = model_registry::all_models(&caller.state.pool, &ws, SEARCH_LIMIT)
        .await
        .map_err(internal("searching models"))?;
    let value_of = |m: &ModelRecord, field: &Field| match field {
        Field::Tag(key) => {
            m.tags.iter().find(|(k, _)| k == key).map(|(_, v)| OwnedActual::Text(v.clone()))
        }
        Field::Attribute(a) => Some(match a.as_str() {
            "name" => OwnedActual::Text(m.name.clone()),
            "creation_timestamp" => OwnedActual::Number(wire::ms(m.created_at) as f64),
            _ => OwnedActual::Number(wire::ms(m.updated_at) as f64),
        }),
        _ => None,
    };
    let by_name = Order { field: Field::Attribute("name".into()), ascending: true };
    let (page, next) = search.page(&all, value_of, by_name, |a, b| a.id.cmp(&b.id));
    let mut models = Vec::with_capacity(page.len());
    for model in page {
        models.push(load(&caller, &ws, &model.name).await?.model_json());
    }
    let mut answer = json!({ "registered_models": models });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}

pub async fn search_versions(
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let ws = caller.workspace(Action::ModelsRead).await?;
    let search = search_query(&query, &["name", "version_number", "run_id", "current_stage"])?;
    let pool = &caller.state.pool;
    let models = model_registry::all_models(pool, &ws, SEARCH_LIMIT)
        .await
        .map_err(internal("searching models"))?;
    let mut loaded = Vec::new();
    for model in &models {
        loaded.push(load(&caller, &ws, &model.name).await?);
    }
    // (model index, version index) pairs, searched as one list.
    let pairs: Vec<(usize, usize)> = loaded
        .iter()
        .enumerate()
        .flat_map(|(m, l)| (0..l.versions.len()).map(move |v| (m, v)))
        .collect();
    let value_of = |&(m, v): &(usize, usize), field: &Field| {
        let (model, version) = (&loaded[m].model, &loaded[m].versions[v]);
        match field {
            Field::Tag(key) => version
                .tags
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| OwnedActual::Text(v.clone())),
            Field::Attribute(a) => match a.as_str() {
                "name" => Some(OwnedActual::Text(model.name.clone())),
                "version_number" => Some(OwnedActual::Number(version.version as f64)),
                "current_stage" => Some(OwnedActual::Text(version.stage.as_str().to_owned())),
                _ => match &version.source_run {
                    SourceRun::Run { name, .. } | SourceRun::Deleted { name } => {
                        Some(OwnedActual::Text(name.clone()))
                    }
                    SourceRun::None => None,
                },
            },
            _ => None,
        }
    };
    let newest = Order { field: Field::Attribute("version_number".into()), ascending: false };
    let (page, next) = search.page(&pairs, value_of, newest, |a, b| a.cmp(b));
    let versions: Vec<Value> = page
        .into_iter()
        .map(|&(m, v)| version_json(&loaded[m].model, &loaded[m].versions[v], &loaded[m].aliases))
        .collect();
    let mut answer = json!({ "model_versions": versions });
    if let Some(token) = next {
        answer["next_page_token"] = json!(token);
    }
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_a_run_and_a_path() {
        let run = |s: &str| run_source(s);
        assert_eq!(run("runs:/abc/model"), Some(("abc".into(), "model".into())));
        assert_eq!(run("runs:/abc"), Some(("abc".into(), String::new())));
        assert_eq!(
            run("mlflow-artifacts:/runs/abc/out/model"),
            Some(("abc".into(), "out/model".into()))
        );
        assert_eq!(
            run("mlflow-artifacts://host:5000/runs/abc/model"),
            Some(("abc".into(), "model".into()))
        );
        assert_eq!(run("s3://bucket/model"), None);
        assert_eq!(run("runs:/"), None);
    }

    #[test]
    fn logged_model_sources_name_a_model_id() {
        assert_eq!(logged_model_source("models:/m-0123abcd"), Some("m-0123abcd"));
        assert_eq!(logged_model_source("models:/adder/1"), None);
        assert_eq!(logged_model_source("runs:/abc/model"), None);
    }

    #[test]
    fn aliases_are_names_not_versions() {
        assert!(check_alias("champion").is_ok());
        assert!(check_alias("v3").is_err());
        assert!(check_alias("Latest").is_err());
        assert!(check_alias("has space").is_err());
        assert!(check_alias("v").is_ok());
    }
}
