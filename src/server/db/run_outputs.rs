//! The files a run wrote (its outputs), as records; the bytes live in the workspace's default
//! datastore, see `server::storage`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::runs::{id_and_status, ChangeError};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct OutputRecord {
    pub path: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
    /// The directory of the datastore holding it.
    pub datastore_path: String,
}

/// Where a new output goes: the default datastore's directory, and the run's id in the store.
pub struct OutputPlace {
    pub datastore_id: i64,
    pub datastore_path: String,
    pub run_id: i64,
    /// The run's name, which its events are recorded under.
    pub run: String,
}

/// Finds where `run`'s outputs go, in the transaction that will record one.
pub async fn place(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
) -> Result<OutputPlace, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let (run_id, _, _) = id_and_status(tx, ws, run).await?;
    let (datastore_id, datastore_path) = super::datastores::default_store(tx, org, ws_id).await?;
    Ok(OutputPlace { datastore_id, datastore_path, run_id, run: run.to_owned() })
}

/// Records (or replaces) an output of a run, in the caller's transaction.
pub async fn upsert(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    place: &OutputPlace,
    path: &StoredPath,
    size: i64,
    sha256: &str,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    sqlx::query(
        "INSERT INTO run_outputs (organization_id, run_id, datastore_id, path, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, \
         created_at = excluded.created_at, datastore_id = excluded.datastore_id",
    )
    .bind(org)
    .bind(place.run_id)
    .bind(place.datastore_id)
    .bind(path.as_str())
    .bind(size)
    .bind(sha256)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let details = json!({ "run": place.run, "output": path.as_str(), "size": size });
    record(tx, ws, actor, Action::RunsWrite, &place.run, details).await?;
    Ok(())
}

const COLUMNS: &str = "o.path, o.size, o.sha256, o.created_at, d.path AS datastore_path";

fn from_row(row: &sqlx::any::AnyRow) -> Result<OutputRecord, sqlx::Error> {
    Ok(OutputRecord {
        path: row.try_get("path")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        created_at: row.try_get("created_at")?,
        datastore_path: row.try_get("datastore_path")?,
    })
}

/// A run's outputs in path order (the run already read through the same proof).
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<OutputRecord>, sqlx::Error> {
    list_in(&mut *pool.acquire().await?, ws, run_id).await
}

/// [`list`] on a connection, such as a transaction copying them.
pub async fn list_in(
    conn: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<OutputRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM run_outputs o JOIN datastores d ON d.id = o.datastore_id \
         JOIN runs r ON r.id = o.run_id \
         WHERE o.run_id = $1 AND o.organization_id = $2 AND r.workspace_id = $3 ORDER BY o.path"
    ))
    .bind(run_id)
    .bind(org)
    .bind(ws_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// One output of the run named `run` in the workspace.
pub async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
    path: &StoredPath,
) -> Result<Option<OutputRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM run_outputs o JOIN datastores d ON d.id = o.datastore_id \
         JOIN runs r ON r.id = o.run_id \
         WHERE r.name = $1 AND r.workspace_id = $2 AND o.organization_id = $3 AND o.path = $4"
    ))
    .bind(run)
    .bind(ws_id)
    .bind(org)
    .bind(path.as_str())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}
