//! Runs and experiments deleted through the tracking API. MLflow marks them deleted and can
//! bring them back (`restore_run`, `restore_experiment`); Atelier keeps them, hidden from the
//! studio and from searches for active runs, until `purge_after`, then removes them with
//! everything recorded about them (`purge_expired`; the caller removes their files).

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::runs::ChangeError;
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

/// What deleting or restoring can run into besides the database.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("no such run or experiment")]
    NotFound,
    /// Restoring a run whose experiment is deleted: restore the experiment.
    #[error("the run's experiment is deleted")]
    ExperimentDeleted,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<ChangeError> for LifecycleError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Database(e) => Self::Database(e),
            _ => Self::NotFound,
        }
    }
}

/// Marks a run deleted, restorable for `retention_days`. Deleting a deleted run changes
/// nothing, as in MLflow.
pub async fn delete_run(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    retention_days: i64,
) -> Result<(), LifecycleError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT id, experiment_id, deleted_at FROM runs \
         WHERE organization_id = $1 AND workspace_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(LifecycleError::NotFound)?;
    if row.try_get::<Option<i64>, _>("deleted_at")?.is_some() {
        return Ok(());
    }
    let (id, experiment): (i64, i64) = (row.try_get("id")?, row.try_get("experiment_id")?);
    let at = now();
    let purge_after = at + retention_days * 86_400;
    let marked = sqlx::query(
        "UPDATE runs SET deleted_at = $1, purge_after = $2 \
         WHERE id = $3 AND organization_id = $4 AND deleted_at IS NULL",
    )
    .bind(at)
    .bind(purge_after)
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // A concurrent delete got there first: its count change stands.
    if marked == 1 {
        count_runs(&mut tx, org, experiment, -1).await?;
        let details = json!({ "run": name, "restorable_until": purge_after });
        record(&mut tx, ws, actor, Action::RunsDelete, name, details).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Brings a deleted run back; a run that is not deleted stays as it is.
pub async fn restore_run(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), LifecycleError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT r.id, r.experiment_id, r.deleted_at, e.deleted_at AS experiment_deleted_at \
         FROM runs r JOIN experiments e ON e.id = r.experiment_id \
         WHERE r.organization_id = $1 AND r.workspace_id = $2 AND r.name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(LifecycleError::NotFound)?;
    if row.try_get::<Option<i64>, _>("deleted_at")?.is_none() {
        return Ok(());
    }
    if row.try_get::<Option<i64>, _>("experiment_deleted_at")?.is_some() {
        return Err(LifecycleError::ExperimentDeleted);
    }
    let (id, experiment): (i64, i64) = (row.try_get("id")?, row.try_get("experiment_id")?);
    let restored = sqlx::query(
        "UPDATE runs SET deleted_at = NULL, purge_after = NULL \
         WHERE id = $1 AND organization_id = $2 AND deleted_at IS NOT NULL",
    )
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if restored == 1 {
        count_runs(&mut tx, org, experiment, 1).await?;
        let details = json!({ "run": name, "restored": true });
        record(&mut tx, ws, actor, Action::RunsWrite, name, details).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn count_runs(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    experiment: i64,
    change: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE experiments SET run_count = run_count + $1 WHERE id = $2 AND organization_id = $3",
    )
    .bind(change)
    .bind(experiment)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Marks an active experiment and its active runs deleted at one instant, restorable for
/// `retention_days`. An experiment already deleted is not found, as in MLflow.
pub async fn delete_experiment(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    id: i64,
    retention_days: i64,
) -> Result<(), LifecycleError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let name: String = sqlx::query_scalar(
        "SELECT name FROM experiments WHERE organization_id = $1 AND workspace_id = $2 \
         AND id = $3 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(ws_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(LifecycleError::NotFound)?;
    let at = now();
    let purge_after = at + retention_days * 86_400;
    let runs = sqlx::query(
        "UPDATE runs SET deleted_at = $1, purge_after = $2, deleted_with_experiment = 1 \
         WHERE experiment_id = $3 AND organization_id = $4 AND deleted_at IS NULL",
    )
    .bind(at)
    .bind(purge_after)
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE experiments SET deleted_at = $1, purge_after = $2, run_count = 0, updated_at = $1 \
         WHERE id = $3 AND organization_id = $4",
    )
    .bind(at)
    .bind(purge_after)
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "runs": runs, "restorable_until": purge_after });
    record(&mut tx, ws, actor, Action::ExperimentsDelete, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Brings a deleted experiment back with the runs deleted along with it (runs deleted on their
/// own before stay deleted). An experiment that is not deleted is not found, as in MLflow.
pub async fn restore_experiment(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    id: i64,
) -> Result<(), LifecycleError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let name: String = sqlx::query_scalar(
        "SELECT name FROM experiments WHERE organization_id = $1 \
         AND workspace_id = $2 AND id = $3 AND deleted_at IS NOT NULL",
    )
    .bind(org)
    .bind(ws_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(LifecycleError::NotFound)?;
    let runs = sqlx::query(
        "UPDATE runs SET deleted_at = NULL, purge_after = NULL, deleted_with_experiment = 0 \
         WHERE experiment_id = $1 AND organization_id = $2 AND deleted_with_experiment = 1",
    )
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE experiments SET deleted_at = NULL, purge_after = NULL, updated_at = $1, \
         run_count = (SELECT COUNT(*) FROM runs WHERE experiment_id = $2 AND organization_id = $3 \
                      AND deleted_at IS NULL) \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "restored": true, "runs": runs });
    record(&mut tx, ws, actor, Action::ExperimentsWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// A run removed for good: its workspace and id, whose files the caller removes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgedRun {
    pub workspace_id: i64,
    pub run: String,
}

/// Removes, with everything recorded about them, the deleted experiments and runs whose
/// retention ended by `now`. Atelier does this itself; each removal is its own transaction so
/// one failure leaves the rest done.
pub async fn purge_expired(pool: &Pool, now: i64) -> Result<Vec<PurgedRun>, sqlx::Error> {
    let mut purged = Vec::new();
    let experiments = sqlx::query(
        "SELECT id, organization_id, workspace_id FROM experiments \
         WHERE purge_after IS NOT NULL AND purge_after <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    for row in &experiments {
        let (id, org, ws): (i64, i64, i64) =
            (row.try_get("id")?, row.try_get("organization_id")?, row.try_get("workspace_id")?);
        let mut tx = super::begin(pool).await?;
        let runs = super::experiments::remove_rows(&mut tx, org, id).await?;
        tx.commit().await?;
        purged.extend(runs.into_iter().map(|run| PurgedRun { workspace_id: ws, run }));
    }
    let runs = sqlx::query(
        "SELECT id, organization_id, workspace_id, name FROM runs \
         WHERE purge_after IS NOT NULL AND purge_after <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    for row in &runs {
        let (id, org): (i64, i64) = (row.try_get("id")?, row.try_get("organization_id")?);
        let mut tx = super::begin(pool).await?;
        super::runs::remove_rows(&mut tx, org, id).await?;
        tx.commit().await?;
        purged.push(PurgedRun {
            workspace_id: row.try_get("workspace_id")?,
            run: row.try_get("name")?,
        });
    }
    Ok(purged)
}
