//! Storing an unpacked code snapshot: the files go to a temporary folder, the records into one
//! transaction, and the folder is renamed into place just before the commit, so a failure at any
//! point leaves neither records without files nor files without records.

use crate::error::{AppError, ErrorKind};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::run_outputs;
use crate::server::db::run_snapshots::{self, NewSnapshotFile};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::error::OrInternal;
use crate::server::snapshot_archive::SnapshotFile;
use crate::server::state::AppState;
use crate::server::storage;

pub(super) async fn store(
    state: &AppState,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    run: &str,
    archive_name: &str,
    files: Vec<SnapshotFile>,
) -> Result<(), AppError> {
    let mut tx =
        crate::server::db::begin(&state.pool).await.or_internal("starting a transaction")?;
    let place = run_outputs::place(&mut tx, ws, run).await.map_err(super::change_error)?;
    let data_dir = &state.settings.data_dir;
    let folder = storage::snapshot_file(data_dir, ws.target().id, &place.datastore_path, run, None);
    let (token, _) = crate::server::secrets::new_token().or_internal("naming a folder")?;
    let temporary = folder.with_file_name(format!(".upload-{}-{run}", &token[..16]));
    let stored = async {
        let mut records = Vec::with_capacity(files.len());
        for file in &files {
            let mut target = temporary.clone();
            target.extend(file.path.as_str().split('/'));
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await.or_internal("storing a snapshot")?;
            }
            tokio::fs::write(&target, &file.bytes).await.or_internal("storing a snapshot")?;
            records.push(NewSnapshotFile {
                path: file.path.as_str(),
                size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
                sha256: storage::sha256_hex(&file.bytes),
            });
        }
        let inserted = run_snapshots::insert(&mut tx, ws, actor, &place, archive_name, &records)
            .await
            .or_internal("recording a snapshot")?;
        if !inserted {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "This run already has a code snapshot; it is what the run ran with.",
            ));
        }
        // A folder left by an attempt that failed after its rename has no records: replace it.
        if tokio::fs::try_exists(&folder).await.unwrap_or(false) {
            tokio::fs::remove_dir_all(&folder).await.or_internal("storing a snapshot")?;
        }
        tokio::fs::rename(&temporary, &folder).await.or_internal("storing a snapshot")?;
        tx.commit().await.or_internal("recording a snapshot")
    }
    .await;
    if stored.is_err() {
        let _ = tokio::fs::remove_dir_all(&temporary).await;
    }
    stored
}
