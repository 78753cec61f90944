//! A run's code snapshot as records: the archive it came from and the files it holds. The bytes
//! live in the workspace's default datastore (see `server::storage::snapshot_file`).

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::run_outputs::OutputPlace;
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct SnapshotRecord {
    pub archive_name: String,
    pub file_count: i64,
    pub total_size: i64,
    pub created_by: String,
    pub created_at: i64,
    /// The directory of the datastore holding the files.
    pub datastore_path: String,
}

pub struct NewSnapshotFile<'a> {
    pub path: &'a str,
    pub size: i64,
    pub sha256: String,
}

/// Records `run`'s snapshot in the caller's transaction; `false` when it already has one (a
/// snapshot is what the run ran with, so it is never replaced).
pub async fn insert(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    place: &OutputPlace,
    archive_name: &str,
    files: &[NewSnapshotFile<'_>],
) -> Result<bool, sqlx::Error> {
    let (org, _) = tenant(ws);
    let total: i64 = files.iter().map(|f| f.size).sum();
    let count = i64::try_from(files.len()).unwrap_or(i64::MAX);
    let inserted = sqlx::query(
        "INSERT INTO run_snapshots (run_id, organization_id, datastore_id, archive_name, \
         file_count, total_size, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(place.run_id)
    .bind(org)
    .bind(place.datastore_id)
    .bind(archive_name)
    .bind(count)
    .bind(total)
    .bind(&actor.name)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(false),
        other => other?,
    };
    for file in files {
        sqlx::query(
            "INSERT INTO run_snapshot_files (organization_id, run_id, path, size, sha256) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(place.run_id)
        .bind(file.path)
        .bind(file.size)
        .bind(&file.sha256)
        .execute(&mut *tx)
        .await?;
    }
    let details = json!({ "run": place.run, "snapshot": archive_name, "files": count });
    record(tx, ws, actor, Action::RunsWrite, &place.run, details).await?;
    Ok(true)
}

/// The snapshot of the run with id `run_id`, if it has one.
pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Option<SnapshotRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT s.archive_name, s.file_count, s.total_size, s.created_by_name, s.created_at, \
         d.path AS datastore_path \
         FROM run_snapshots s JOIN datastores d ON d.id = s.datastore_id \
         WHERE s.run_id = $1 AND s.organization_id = $2 AND d.workspace_id = $3",
    )
    .bind(run_id)
    .bind(org)
    .bind(ws_id)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(SnapshotRecord {
            archive_name: row.try_get("archive_name")?,
            file_count: row.try_get("file_count")?,
            total_size: row.try_get("total_size")?,
            created_by: row.try_get("created_by_name")?,
            created_at: row.try_get("created_at")?,
            datastore_path: row.try_get("datastore_path")?,
        })
    })
    .transpose()
}

/// Every file of the run's snapshot as (path, size), in path order.
pub async fn files(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let (org, _) = tenant(ws);
    let rows = sqlx::query(
        "SELECT path, size FROM run_snapshot_files \
         WHERE run_id = $1 AND organization_id = $2 ORDER BY path",
    )
    .bind(run_id)
    .bind(org)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("path")?, row.try_get("size")?))).collect()
}
