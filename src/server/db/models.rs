//! Registered models of a workspace: listing (searched, filtered by stage, paged by name),
//! reading, changing and deleting them, and each model's activity. Versions live in
//! [`super::model_versions`]. Every function takes the caller's proof for the workspace and
//! reads or writes only that workspace's rows.

use std::collections::BTreeMap;

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::listing::Cursor;
use crate::domain::{Description, ModelStage, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct ModelRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The highest version that exists; 0 when the model has none.
    pub latest_version: i64,
    pub version_count: i64,
    /// The stages its versions are in, in [`ModelStage::ALL`] order (lists only).
    pub stages: Vec<ModelStage>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such model or version")]
    NotFound,
    #[error("no such run in the workspace")]
    RunNotFound,
    /// The source run has no output at (or under) the artifact path given.
    #[error("the run has no output at {0}")]
    ArtifactNotFound(String),
    /// A deployment serves the version (or a version of the model) being deleted.
    #[error("version {version} is served by deployment {deployment} of endpoint {endpoint}")]
    Deployed { endpoint: String, deployment: String, version: i64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What a models list asks for.
#[derive(Clone, Debug, Default)]
pub struct ModelFilter {
    /// Contained in the name, description or tags, ignoring case.
    pub search: Option<String>,
    /// Only models with a version in this stage.
    pub stage: Option<ModelStage>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

pub(super) const COLUMNS: &str =
    "id, name, description, tags, created_by_name, created_at, updated_at, \
                       latest_version, version_count";

pub(super) fn from_row(row: &sqlx::any::AnyRow) -> Result<ModelRecord, sqlx::Error> {
    Ok(ModelRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        latest_version: row.try_get("latest_version")?,
        version_count: row.try_get("version_count")?,
        stages: Vec::new(),
    })
}

/// A stage as stored; an unknown value is a decoding error.
pub(super) fn stage_from(text: &str) -> Result<ModelStage, sqlx::Error> {
    ModelStage::parse(text).map_err(|e| sqlx::Error::Decode(e.0.into()))
}

/// A page of models in name order, with the stages their versions are in.
fn list_statement(org: i64, ws_id: i64, filter: &ModelFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("m", (org, ws_id));
    st.search(filter.search.as_deref(), &NAME_DESCRIPTION_TAGS);
    if let Some(stage) = filter.stage {
        // The organization's own placeholder, not a second copy of its value: PostgreSQL then
        // sees the two conditions are one and keeps reading models in name order.
        let (o, s) = (Statement::ORGANIZATION, st.arg(Arg::Text(stage.as_str().to_owned())));
        st.condition(format!(
            "EXISTS (SELECT 1 FROM model_versions v \
             WHERE v.model_id = m.id AND v.organization_id = {o} AND v.stage = {s})"
        ));
    }
    let select = format!("SELECT {COLUMNS} FROM models m");
    st.keyset_page(&select, &Order::BY_NAME, filter.after.as_ref(), filter.limit)
}

/// The plan the database picks for `list` (see `statement::plan`).
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id): (i64, i64),
    filter: &ModelFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}

pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &ModelFilter,
) -> Result<Vec<ModelRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, filter);
    let mut models = bind_all(sqlx::query(&sql), args)
        .fetch_all(pool)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut stages = stages_of(pool, org, ws_id, &models).await?;
    for model in &mut models {
        let mut present = stages.remove(&model.id).unwrap_or_default();
        present.sort_by_key(|s| ModelStage::ALL.iter().position(|a| a == s));
        model.stages = present;
    }
    Ok(models)
}

/// The distinct stages of each model's versions.
async fn stages_of(
    pool: &Pool,
    org: i64,
    ws_id: i64,
    models: &[ModelRecord],
) -> Result<BTreeMap<i64, Vec<ModelStage>>, sqlx::Error> {
    let mut by_model: BTreeMap<i64, Vec<ModelStage>> = BTreeMap::new();
    if models.is_empty() {
        return Ok(by_model);
    }
    let placeholders: Vec<String> = (0..models.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT DISTINCT model_id, stage FROM model_versions \
         WHERE organization_id = $1 AND workspace_id = $2 AND model_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(org).bind(ws_id);
    for model in models {
        query = query.bind(model.id);
    }
    for row in query.fetch_all(pool).await? {
        let stage = stage_from(&row.try_get::<String, _>("stage")?)?;
        by_model.entry(row.try_get("model_id")?).or_default().push(stage);
    }
    Ok(by_model)
}

/// A model by name (ignoring case); its versions are read with
/// [`super::model_versions::for_model`].
pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<ModelRecord>, sqlx::Error> {
    super::row_by_name(pool, ws, "models", COLUMNS, name).await?.as_ref().map(from_row).transpose()
}

/// How many models the workspace holds, for its overview.
pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "models").await
}

/// The model's id and name as stored, inside a transaction.
pub(super) async fn id_and_name(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<(i64, String), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT id, name FROM models WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    Ok((row.try_get("id")?, row.try_get("name")?))
}

/// Changes a model's description and tags (its name is its identity, as in Azure).
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    description: &Description,
    tags: &Tags,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name) = id_and_name(&mut tx, ws, name).await?;
    sqlx::query(
        "UPDATE models SET description = $1, tags = $2, updated_at = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(description.as_str())
    .bind(pairs_to_json(tags.pairs()))
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, ws, actor, Action::ModelsWrite, &name, json!({ "updated": true })).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a model with all its versions and their file records, in the caller's transaction.
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<Deleted, ChangeError> {
    let (org, _) = tenant(ws);
    let (id, name) = id_and_name(tx, ws, name).await?;
    refuse_if_deployed(tx, org, id, None).await?;
    super::model_version_files::delete(tx, org, id, None).await?;
    super::model_registry::delete_aliases(tx, org, id, None).await?;
    let versions =
        sqlx::query("DELETE FROM model_versions WHERE model_id = $1 AND organization_id = $2")
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    sqlx::query("DELETE FROM models WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    let versions = i64::try_from(versions).unwrap_or(i64::MAX);
    let details = json!({ "deleted": true, "versions": versions });
    record(tx, ws, actor, Action::ModelsDelete, &name, details).await?;
    Ok(Deleted { model_id: id, versions })
}

/// A deleted model: its id (its files' folder) and how many versions went with it.
pub struct Deleted {
    pub model_id: i64,
    pub versions: i64,
}

/// Refuses to delete what a deployment serves: a version (`Some`) or any version of the model.
pub(super) async fn refuse_if_deployed(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    model_id: i64,
    version: Option<i64>,
) -> Result<(), ChangeError> {
    match super::deployments::first_serving(tx, org, model_id, version).await? {
        Some((endpoint, deployment, version)) => {
            Err(ChangeError::Deployed { endpoint, deployment, version })
        }
        None => Ok(()),
    }
}
