//! Data asset changes that involve stored files: a registration whose upload is written before
//! its records commit (and removed if they do not), and deletions whose files are set aside
//! inside the transaction and removed once it commits (or put back if it does not), so the
//! records, the audit event and the files change together.

use std::path::{Path, PathBuf};

use super::authz::Authorized;
use super::db::audit::Actor;
use super::db::dataset_versions::{self, NewVersion, Registered};
use super::db::datasets::{self, Removed};
use super::db::scopes::WorkspaceScope;
use super::db::Pool;
use super::error::OrInternal;
use super::storage;
use crate::api::datasets::change_error;
use crate::error::AppError;

/// Registers a version; `bytes` is the uploaded file when `new.source` is an upload.
pub async fn register(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewVersion<'_>,
    bytes: Option<&[u8]>,
) -> Result<Registered, AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let registered =
        dataset_versions::register(&mut tx, ws, actor, new).await.map_err(change_error)?;
    let (Some(store), Some(bytes), dataset_versions::Source::Upload { file_name, .. }) =
        (&registered.datastore_dir, bytes, &new.source)
    else {
        tx.commit().await.or_internal("registering a data asset")?;
        return Ok(registered);
    };
    let dir = storage::dataset_dir(
        data_dir,
        ws.target().id,
        store,
        new.name.as_str(),
        Some(registered.version),
    );
    let file = dir.join(file_name);
    let temporary =
        storage::write_temporary(&file, bytes).await.or_internal("storing a data asset")?;
    let stored = storage::commit_placing(tx, &temporary, &file, "registering a data asset").await;
    if stored.is_err() {
        // The version's folder held only this file.
        storage::remove_path(&dir).await;
    }
    stored.map(|()| registered)
}

/// Deletes one version (the asset with its last one), with its upload.
pub async fn delete_version(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    version: i64,
) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let removed = dataset_versions::delete(&mut tx, ws, actor, (name, version))
        .await
        .map_err(change_error)?;
    commit_removing(tx, data_dir, ws, &removed, Some(version)).await
}

/// Deletes an asset with all its versions and uploads.
pub async fn delete(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let removed = datasets::delete(&mut tx, ws, actor, name).await.map_err(change_error)?;
    commit_removing(tx, data_dir, ws, &removed, None).await
}

async fn commit_removing(
    tx: crate::server::db::WriteTransaction,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    removed: &Removed,
    version: Option<i64>,
) -> Result<(), AppError> {
    let dirs = removed
        .datastore_dirs
        .iter()
        .map(|store| storage::dataset_dir(data_dir, ws.target().id, store, &removed.name, version))
        .collect();
    storage::commit_removing(tx, dirs, "deleting a data asset").await
}

/// The file a version's data is in, when the server holds it: the upload, or the file an
/// `azureml://` URI names in one of the workspace's local datastores (a run's output, say).
pub async fn data_file(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
    version: &dataset_versions::VersionRecord,
) -> Result<Option<PathBuf>, AppError> {
    use crate::domain::dataset::DataUri;
    use crate::domain::datastore::DatastoreKind;

    if let Some(file) = upload_path(data_dir, ws, name, version) {
        return Ok(Some(file));
    }
    let Ok(DataUri::Datastore { datastore, path, .. }) = DataUri::parse(&version.uri) else {
        return Ok(None);
    };
    // A datastore also holds runs' outputs and snapshots and models' files: reading them
    // through a data asset needs the right to read them directly.
    if !ws.permits(area_reading(&path)) {
        return Ok(None);
    }
    let store = super::db::datastores::get(pool, ws, &datastore)
        .await
        .or_internal("reading a datastore")?;
    Ok(store
        .filter(|store| store.kind == DatastoreKind::Local)
        .map(|store| storage::datastore_file(data_dir, ws.target().id, &store.path, &path)))
}

/// What reading `path` of a local datastore needs: the areas Atelier keeps there for runs
/// (`runs/`, `snapshots/`) and models (`models/`) are read as those.
fn area_reading(path: &str) -> crate::authz::Action {
    use crate::authz::Action;
    match path.split('/').next().unwrap_or_default() {
        "runs" | "snapshots" => Action::RunsRead,
        "models" => Action::ModelsRead,
        _ => Action::DatasetsRead,
    }
}

/// Where the upload of a version is kept.
pub fn upload_path(
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
    version: &dataset_versions::VersionRecord,
) -> Option<PathBuf> {
    let store = version.datastore_dir.as_deref()?;
    let dir = storage::dataset_dir(data_dir, ws.target().id, store, name, Some(version.version));
    Some(dir.join(&version.file_name))
}
