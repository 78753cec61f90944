//! Deleting experiments and runs with their stored files: one service used by the studio's
//! server functions and the tracking API alike.

use super::authz::Authorized;
use super::db::audit::Actor;
use super::db::scopes::WorkspaceScope;
use super::db::{experiments, run_lifecycle, runs, Pool};
use super::state::AppState;
use super::storage;

/// Deletes a run with its metrics, logs and outputs (records, then files).
pub async fn delete_run(
    state: &AppState,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    run: &str,
) -> Result<(), runs::ChangeError> {
    runs::delete(&state.pool, ws, actor, run).await?;
    storage::remove_run_files(&state.settings.data_dir, ws.target().id, run).await;
    Ok(())
}

/// Deletes an experiment with all its runs and their files.
pub async fn delete_experiment(
    pool: &Pool,
    data_dir: &std::path::Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), experiments::ChangeError> {
    let runs = experiments::delete(pool, ws, actor, name).await?;
    for run in &runs {
        storage::remove_run_files(data_dir, ws.target().id, run).await;
    }
    Ok(())
}

/// Removes for good the runs and experiments deleted through the tracking API whose retention
/// ended, records and files.
pub async fn purge_expired(pool: &Pool, data_dir: &std::path::Path, now: i64) -> usize {
    match run_lifecycle::purge_expired(pool, now).await {
        Ok(purged) => {
            for run in &purged {
                storage::remove_run_files(data_dir, run.workspace_id, &run.run).await;
            }
            purged.len()
        }
        Err(error) => {
            tracing::warn!(%error, "purging deleted runs and experiments failed");
            0
        }
    }
}
