//! Storing a file a run wrote: recorded, then written to the workspace's default datastore
//! under a temporary name and renamed into place as the record commits (both undone if either
//! fails). Used by the upload form and the demo data.

use std::path::Path;

use super::authz::Authorized;
use super::db::audit::Actor;
use super::db::run_outputs;
use super::db::scopes::WorkspaceScope;
use super::db::Pool;
use super::error::OrInternal;
use super::storage;
use crate::api::runs::change_error;
use crate::domain::datastore::StoredPath;
use crate::error::AppError;

/// Stores `bytes` as the output at `path` of the run named `run`, replacing one there.
pub async fn store(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    run: &str,
    path: &StoredPath,
    bytes: &[u8],
) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let place = run_outputs::place(&mut tx, ws, run).await.map_err(change_error)?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let digest = storage::sha256_hex(bytes);
    run_outputs::upsert(&mut tx, ws, actor, &place, path, size, &digest)
        .await
        .map_err(change_error)?;
    let file = storage::output_file(data_dir, ws.target().id, &place.datastore_path, run, path);
    let temporary =
        storage::write_temporary(&file, bytes).await.or_internal("storing an output")?;
    storage::commit_placing(tx, &temporary, &file, "recording an output").await
}
