//! Model version changes that involve stored files. A registration copies the files it names
//! (outputs of its run, or an upload) into a staging folder, records them, moves the folder into
//! place and commits, removing the folder if anything fails; deletions set the folders aside
//! until their transaction commits. So a version's records, audit event and files change
//! together, and a version keeps its files after its run is deleted.

use std::path::{Path, PathBuf};

use super::authz::Authorized;
use super::db::audit::Actor;
use super::db::model_version_files::{self, FileRecord, VersionFolder};
use super::db::model_versions::{self, NewVersion, Registered};
use super::db::models::{self, ChangeError};
use super::db::scopes::WorkspaceScope;
use super::db::{datastores, tenant, Pool};
use super::error::OrInternal;
use super::storage;
use crate::api::models::{change_error, delete_error};
use crate::domain::datastore::StoredPath;
use crate::error::AppError;

/// Where a new version's files come from.
pub enum Artifact<'a> {
    /// A version without files.
    None,
    /// A file, or a folder's files, in the source run's outputs.
    RunOutputs(&'a StoredPath),
    /// One uploaded file (its name checked by `parse_file_name`).
    Upload { file_name: &'a str, bytes: &'a [u8] },
}

/// A file on its way into a version's folder.
enum Source<'a> {
    Copy(PathBuf),
    Bytes(&'a [u8]),
}

/// Registers a version (creating its model when new) with its files.
pub async fn register(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewVersion<'_>,
    artifact: Artifact<'_>,
) -> Result<Registered, AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let registered =
        model_versions::register(&mut tx, ws, actor, new).await.map_err(change_error)?;
    let files = match artifact {
        Artifact::None => Vec::new(),
        Artifact::RunOutputs(path) => {
            run_files(&mut tx, data_dir, ws, new, &registered, path).await.map_err(change_error)?
        }
        Artifact::Upload { file_name, bytes } => {
            let record = FileRecord {
                path: file_name.to_owned(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                sha256: storage::sha256_hex(bytes),
            };
            vec![(record, Source::Bytes(bytes))]
        }
    };
    if files.is_empty() {
        tx.commit().await.or_internal("registering a model")?;
        return Ok(registered);
    }
    let (org, ws_id) = tenant(ws);
    let (datastore_id, store_dir) = datastores::default_store(&mut tx, org, ws_id)
        .await
        .or_internal("finding the default datastore")?;
    let folder = VersionFolder { version_id: registered.version_id, datastore_id };
    for (record, _) in &files {
        model_version_files::insert(&mut tx, ws, &folder, record)
            .await
            .or_internal("recording a model's files")?;
    }
    let dir = storage::model_dir(
        data_dir,
        ws_id,
        &store_dir,
        registered.model_id,
        Some(registered.version),
    );
    let staging = staging_dir(&dir)?;
    if let Err(error) = write_files(&staging, &files).await {
        storage::remove_path(&staging).await;
        return Err(super::error::internal("storing a model's files", error));
    }
    storage::commit_placing(tx, &staging, &dir, "registering a model").await?;
    Ok(registered)
}

/// The run outputs `artifact` names, each with its place in the version's folder.
async fn run_files<'a>(
    tx: &mut sqlx::AnyConnection,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    new: &NewVersion<'_>,
    registered: &Registered,
    artifact: &StoredPath,
) -> Result<Vec<(FileRecord, Source<'a>)>, ChangeError> {
    let missing = || ChangeError::ArtifactNotFound(artifact.as_str().to_owned());
    let (Some(run_id), Some(run)) = (registered.run_id, new.source_run) else {
        return Err(missing());
    };
    let outputs = model_version_files::run_outputs_under(tx, ws, run_id, artifact).await?;
    if outputs.is_empty() {
        return Err(missing());
    }
    let files = outputs.into_iter().map(|output| {
        let path = StoredPath::parse(&output.path).map_err(|_| missing())?;
        let source =
            storage::output_file(data_dir, ws.target().id, &output.datastore_path, run, &path);
        let record = FileRecord {
            path: model_version_files::path_in_version(artifact, &output.path),
            size: output.size,
            sha256: output.sha256,
        };
        Ok((record, Source::Copy(source)))
    });
    files.collect()
}

/// A fresh folder beside `dir` for a version's files while they are written.
fn staging_dir(dir: &Path) -> Result<PathBuf, AppError> {
    let (token, _) = super::secrets::new_token().or_internal("naming a staging folder")?;
    Ok(dir.with_file_name(format!(".upload-{}", &token[..16])))
}

async fn write_files(staging: &Path, files: &[(FileRecord, Source<'_>)]) -> std::io::Result<()> {
    for (record, source) in files {
        let mut target = staging.to_path_buf();
        target.extend(record.path.split('/'));
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        match source {
            Source::Copy(from) => tokio::fs::copy(from, &target).await.map(|_| ())?,
            Source::Bytes(bytes) => tokio::fs::write(&target, bytes).await?,
        }
    }
    Ok(())
}

/// Deletes one version of a model with its files.
pub async fn delete_version(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, version): (&str, i64),
) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let model_id = model_versions::delete(&mut tx, ws, actor, (model, version))
        .await
        .map_err(|e| delete_error(e, ws))?;
    let dir = folder(&mut tx, data_dir, ws, model_id, Some(version)).await?;
    storage::commit_removing(tx, vec![dir], "deleting a model version").await
}

/// Deletes a model with all its versions and their files; returns how many versions went.
pub async fn delete(
    pool: &Pool,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    model: &str,
) -> Result<i64, AppError> {
    let mut tx = crate::server::db::begin(pool).await.or_internal("starting a transaction")?;
    let deleted =
        models::delete(&mut tx, ws, actor, model).await.map_err(|e| delete_error(e, ws))?;
    let dir = folder(&mut tx, data_dir, ws, deleted.model_id, None).await?;
    storage::commit_removing(tx, vec![dir], "deleting a model").await?;
    Ok(deleted.versions)
}

/// The folder of a model's files (one version's, when given), in its default datastore.
async fn folder(
    tx: &mut sqlx::AnyConnection,
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    model_id: i64,
    version: Option<i64>,
) -> Result<PathBuf, AppError> {
    let (org, ws_id) = tenant(ws);
    let (_, store_dir) = datastores::default_store(tx, org, ws_id)
        .await
        .or_internal("finding the default datastore")?;
    Ok(storage::model_dir(data_dir, ws_id, &store_dir, model_id, version))
}

/// The file a version's stored file is kept in.
pub fn file_path(
    data_dir: &Path,
    ws: &Authorized<WorkspaceScope>,
    stored: &model_version_files::StoredFile,
    version: i64,
) -> PathBuf {
    let mut file = storage::model_dir(
        data_dir,
        ws.target().id,
        &stored.datastore_path,
        stored.model_id,
        Some(version),
    );
    file.extend(stored.file.path.split('/'));
    file
}
