//! Versions of registered models: registering one (creating its model when new), changing its
//! description, tags and stage, deleting it, and the link to the run that produced it.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::models::{id_and_name, stage_from, ChangeError};
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::{Description, Framework, ModelName, ModelStage, Tags};
use crate::server::authz::proof::Authorized;

/// The run a version came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceRun {
    /// Registered without a run.
    None,
    /// The run's id (its name in URLs) and display name.
    Run { name: String, display_name: String },
    /// The run was deleted after the version was registered; its id as it was.
    Deleted { name: String },
}

#[derive(Clone, Debug)]
pub struct VersionRecord {
    pub version: i64,
    pub source_run: SourceRun,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub stage: ModelStage,
    pub framework: String,
    pub created_by: String,
    pub created_at: i64,
    /// The MLflow logged model (`m-…`) it was registered from, if any.
    pub logged_model_id: Option<String>,
}

/// A model's versions, newest first.
pub async fn for_model(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: i64,
) -> Result<Vec<VersionRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let rows = sqlx::query(
        "SELECT v.version, v.source_run_name, r.name AS run_name, r.display_name AS run_display, \
         v.description, v.tags, v.stage, v.framework, v.created_by_name, v.created_at, \
         v.logged_model_id FROM model_versions v LEFT JOIN runs r ON r.id = v.source_run_id \
         WHERE v.organization_id = $1 AND v.workspace_id = $2 AND v.model_id = $3 \
         ORDER BY v.version DESC",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let run: Option<String> = row.try_get("run_name")?;
            let registered_from: Option<String> = row.try_get("source_run_name")?;
            let source_run = match (run, registered_from) {
                (Some(name), _) => {
                    SourceRun::Run { name, display_name: row.try_get("run_display")? }
                }
                (None, Some(name)) => SourceRun::Deleted { name },
                (None, None) => SourceRun::None,
            };
            Ok(VersionRecord {
                version: row.try_get("version")?,
                source_run,
                description: row.try_get("description")?,
                tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
                stage: stage_from(&row.try_get::<String, _>("stage")?)?,
                framework: row.try_get("framework")?,
                created_by: row.try_get("created_by_name")?,
                created_at: row.try_get("created_at")?,
                logged_model_id: row.try_get("logged_model_id")?,
            })
        })
        .collect()
}

/// The model versions registered from a run: (model name, version), by model then version.
pub async fn from_run(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let rows = sqlx::query(
        "SELECT m.name, v.version FROM model_versions v JOIN models m ON m.id = v.model_id \
         WHERE v.organization_id = $1 AND v.workspace_id = $2 AND v.source_run_id = $3 \
         ORDER BY m.name_key, v.version",
    )
    .bind(org)
    .bind(ws_id)
    .bind(run_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("name")?, row.try_get("version")?))).collect()
}

/// Unlinks model versions from runs about to be deleted (`runs` is a subquery of run ids
/// taking `$1` as the organization and `$2` as its argument), so the versions stay.
pub(super) async fn detach_runs(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    runs: &str,
    argument: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE model_versions SET source_run_id = NULL \
         WHERE organization_id = $1 AND source_run_id IN ({runs})"
    ))
    .bind(org)
    .bind(argument)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub struct NewVersion<'a> {
    pub model: &'a ModelName,
    /// The model's description and tags: set when the model is new; for an existing model,
    /// each replaces the model's when given (not empty).
    pub model_description: &'a Description,
    pub model_tags: &'a Tags,
    /// The run's id in the workspace, if the version came from a run.
    pub source_run: Option<&'a str>,
    pub framework: &'a Framework,
    pub description: &'a Description,
    /// What its files come from, for the audit event: the path in the run's outputs, or the
    /// uploaded file's name.
    pub artifact: Option<&'a str>,
    /// The MLflow logged model (`m-…`) it is registered from, if any.
    pub logged_model: Option<&'a str>,
}

/// A version just registered (its transaction not yet committed).
#[derive(Clone, Debug)]
pub struct Registered {
    /// The model's name as stored.
    pub name: String,
    pub model_id: i64,
    pub version: i64,
    pub version_id: i64,
    /// The source run's row id.
    pub run_id: Option<i64>,
}

/// Registers a new version of a model, creating the model when it is new, in the caller's
/// transaction (which its files are recorded in too).
pub async fn register(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewVersion<'_>,
) -> Result<Registered, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let at = now();
    // A write first, so that concurrent registrations of a new name queue on it rather than
    // both reading "absent"; the loser of that race finds the winner's row.
    let created = sqlx::query(
        "INSERT INTO models (organization_id, workspace_id, name, name_key, description, tags, \
         created_by, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (workspace_id, name_key) DO NOTHING",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.model.as_str())
    .bind(new.model.key())
    .bind(new.model_description.as_str())
    .bind(pairs_to_json(new.model_tags.pairs()))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let (model_id, name) = id_and_name(tx, ws, new.model.as_str()).await?;
    let source_run = match new.source_run {
        None => None,
        Some(run) => Some(run_id(tx, ws, run).await?),
    };
    // Taking the number locks the model's row until commit: versions are numbered in turn.
    sqlx::query(
        "UPDATE models SET next_version = next_version + 1, latest_version = next_version, \
         version_count = version_count + 1, updated_at = $1 \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(at)
    .bind(model_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    if !created && !new.model_description.as_str().is_empty() {
        set_model_text(tx, org, model_id, "description", new.model_description.as_str()).await?;
    }
    if !created && !new.model_tags.pairs().is_empty() {
        set_model_text(tx, org, model_id, "tags", &pairs_to_json(new.model_tags.pairs())).await?;
    }
    let version: i64 = sqlx::query_scalar(
        "SELECT latest_version FROM models WHERE id = $1 AND organization_id = $2",
    )
    .bind(model_id)
    .bind(org)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO model_versions (organization_id, workspace_id, model_id, version, \
         source_run_id, source_run_name, description, tags, stage, framework, created_by_name, \
         created_at, logged_model_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, $9, $10, $11, $12)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .bind(version)
    .bind(source_run)
    .bind(new.source_run.filter(|_| source_run.is_some()))
    .bind(new.description.as_str())
    .bind(ModelStage::None.as_str())
    .bind(new.framework.as_str())
    .bind(&actor.name)
    .bind(at)
    .bind(new.logged_model)
    .execute(&mut *tx)
    .await?;
    let version_id: i64 = sqlx::query_scalar(
        "SELECT id FROM model_versions WHERE model_id = $1 AND organization_id = $2 AND version = $3",
    )
    .bind(model_id)
    .bind(org)
    .bind(version)
    .fetch_one(&mut *tx)
    .await?;
    let details = json!({
        "version": version,
        "run": new.source_run,
        "artifact": new.artifact,
        "created": created,
    });
    record(tx, ws, actor, Action::ModelsWrite, &name, details).await?;
    Ok(Registered { name, model_id, version, version_id, run_id: source_run })
}

/// A column of the models row that registration may replace (a fixed name, never input).
async fn set_model_text(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    model_id: i64,
    column: &'static str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("UPDATE models SET {column} = $1 WHERE id = $2 AND organization_id = $3"))
        .bind(value)
        .bind(model_id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A run's row id by its id (name) in the workspace: a run elsewhere is not found.
async fn run_id(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<i64, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT id FROM runs WHERE organization_id = $1 AND workspace_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::RunNotFound)?;
    Ok(row.try_get("id")?)
}

/// The version's row id and stage, with its model's id and name as stored.
async fn find(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    model: &str,
    version: i64,
) -> Result<(i64, String, i64, ModelStage), ChangeError> {
    let (org, _) = tenant(ws);
    let (model_id, name) = id_and_name(tx, ws, model).await?;
    let row = sqlx::query(
        "SELECT id, stage FROM model_versions \
         WHERE model_id = $1 AND organization_id = $2 AND version = $3",
    )
    .bind(model_id)
    .bind(org)
    .bind(version)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let stage = stage_from(&row.try_get::<String, _>("stage")?)?;
    Ok((model_id, name, row.try_get("id")?, stage))
}

/// Changes a version's description and tags.
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, version): (&str, i64),
    description: &Description,
    tags: &Tags,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (_, name, id, _) = find(&mut tx, ws, model, version).await?;
    sqlx::query(
        "UPDATE model_versions SET description = $1, tags = $2 WHERE id = $3 AND organization_id = $4",
    )
    .bind(description.as_str())
    .bind(pairs_to_json(tags.pairs()))
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "version": version, "updated": true });
    record(&mut tx, ws, actor, Action::ModelsWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a version to `next`. A version moved into production replaces the model's current
/// production version, which is archived in the same transaction; its number is returned.
pub async fn set_stage(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, version): (&str, i64),
    next: ModelStage,
) -> Result<Option<i64>, ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (model_id, name, id, current) = find(&mut tx, ws, model, version).await?;
    if !current.may_become(next) {
        return Ok(None);
    }
    let mut replaced = None;
    if let Some(demoted) = next.replaced_becomes() {
        replaced = sqlx::query_scalar(
            "SELECT version FROM model_versions \
             WHERE model_id = $1 AND organization_id = $2 AND stage = $3",
        )
        .bind(model_id)
        .bind(org)
        .bind(next.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        // Before the move: the database allows one production version per model at a time.
        sqlx::query(
            "UPDATE model_versions SET stage = $1 \
             WHERE model_id = $2 AND organization_id = $3 AND stage = $4",
        )
        .bind(demoted.as_str())
        .bind(model_id)
        .bind(org)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE model_versions SET stage = $1 WHERE id = $2 AND organization_id = $3")
        .bind(next.as_str())
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE models SET updated_at = $1 WHERE id = $2 AND organization_id = $3")
        .bind(now())
        .bind(model_id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    let details = json!({
        "version": version,
        "from": current.as_str(),
        "to": next.as_str(),
        "archived": replaced,
    });
    record(&mut tx, ws, actor, Action::ModelsStageWrite, &name, details).await?;
    tx.commit().await?;
    Ok(replaced)
}

/// Deletes one version and its file records, in the caller's transaction; the model stays
/// (with no versions, if it was the last). Returns the model's id (its files' folder).
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, version): (&str, i64),
) -> Result<i64, ChangeError> {
    let (org, _) = tenant(ws);
    let (model_id, name, id, _) = find(tx, ws, model, version).await?;
    super::models::refuse_if_deployed(tx, org, model_id, Some(version)).await?;
    super::model_version_files::delete(tx, org, model_id, Some(version)).await?;
    super::model_registry::delete_aliases(tx, org, model_id, Some(version)).await?;
    sqlx::query("DELETE FROM model_versions WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE models SET version_count = version_count - 1, updated_at = $1, \
         latest_version = COALESCE((SELECT MAX(version) FROM model_versions \
             WHERE model_id = $2 AND organization_id = $3), 0) \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(now())
    .bind(model_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "version": version, "deleted": true });
    record(tx, ws, actor, Action::ModelsDelete, &name, details).await?;
    Ok(model_id)
}
