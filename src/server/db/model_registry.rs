//! What MLflow's model registry needs beyond the studio's model pages: registering a model with
//! no versions yet, renaming it, every model of a workspace for a search, and version aliases.
//! Every function takes the caller's proof for the workspace.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::models::{self, id_and_name, ChangeError, ModelRecord};
use super::pairs::pairs_to_json;
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::{Description, ModelName, Tags};
use crate::server::authz::proof::Authorized;

/// Registers a model with no versions. False when the name is taken (ignoring case).
pub async fn create_model(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &ModelName,
    description: &Description,
    tags: &Tags,
) -> Result<bool, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO models (organization_id, workspace_id, name, name_key, description, tags, \
         created_by, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.as_str())
    .bind(name.as_str().to_ascii_lowercase())
    .bind(description.as_str())
    .bind(pairs_to_json(tags.pairs()))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(false),
        other => other?,
    };
    record(&mut tx, ws, actor, Action::ModelsWrite, name.as_str(), json!({ "created": true }))
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum RenameError {
    #[error("the new name is taken")]
    Taken,
    #[error(transparent)]
    Change(#[from] ChangeError),
}

impl From<sqlx::Error> for RenameError {
    fn from(e: sqlx::Error) -> Self {
        Self::Change(e.into())
    }
}

pub async fn rename_model(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    new_name: &ModelName,
) -> Result<(), RenameError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, old) = id_and_name(&mut tx, ws, name).await?;
    let renamed = sqlx::query(
        "UPDATE models SET name = $1, name_key = $2, updated_at = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(new_name.as_str())
    .bind(new_name.as_str().to_ascii_lowercase())
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await;
    match renamed {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(RenameError::Taken),
        other => other?,
    };
    let details = json!({ "renamed_from": old, "renamed_to": new_name.as_str() });
    record(&mut tx, ws, actor, Action::ModelsWrite, new_name.as_str(), details).await?;
    tx.commit().await?;
    Ok(())
}

/// Every model of the workspace in name order, at most `limit`: what a search filters.
pub async fn all_models(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    limit: i64,
) -> Result<Vec<ModelRecord>, sqlx::Error> {
    let rows = super::all_by_name(pool, ws, "models", models::COLUMNS, limit).await?;
    rows.iter().map(models::from_row).collect()
}

/// A model's aliases as (alias, version), in alias order.
pub async fn aliases(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "SELECT alias, version FROM model_aliases \
         WHERE organization_id = $1 AND workspace_id = $2 AND model_id = $3 ORDER BY alias",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("alias")?, row.try_get("version")?)))
    .collect()
}

/// Points `alias` of the model at `version` (which must exist), moving it if it was set.
pub async fn set_alias(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, version): (&str, i64),
    alias: &str,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (model_id, name) = id_and_name(&mut tx, ws, model).await?;
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM model_versions WHERE model_id = $1 AND organization_id = $2 AND version = $3",
    )
    .bind(model_id)
    .bind(org)
    .bind(version)
    .fetch_optional(&mut *tx)
    .await?;
    exists.ok_or(ChangeError::NotFound)?;
    sqlx::query(
        "INSERT INTO model_aliases (organization_id, workspace_id, model_id, alias, version) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .bind(alias)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "version": version, "alias": alias });
    record(&mut tx, ws, actor, Action::ModelsWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an alias; NotFound when the model has no such alias.
pub async fn delete_alias(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    model: &str,
    alias: &str,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (model_id, name) = id_and_name(&mut tx, ws, model).await?;
    let gone = sqlx::query(
        "DELETE FROM model_aliases WHERE model_id = $1 AND organization_id = $2 AND alias = $3",
    )
    .bind(model_id)
    .bind(org)
    .bind(alias)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(ChangeError::NotFound);
    }
    let details = json!({ "alias": alias, "removed": true });
    record(&mut tx, ws, actor, Action::ModelsWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a model's aliases (of one version, when given) with what they point at.
pub(super) async fn delete_aliases(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    model_id: i64,
    version: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM model_aliases WHERE model_id = $1 AND organization_id = $2 \
         AND ($3 IS NULL OR version = $3)",
    )
    .bind(model_id)
    .bind(org)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
