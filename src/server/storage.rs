//! Files in local datastores: `<data dir>/workspaces/<workspace id>/<datastore dir>/runs/<run
//! id>/<path>` for run outputs, `…/snapshots/<run id>/<path>` for code snapshots,
//! `…/<datastore dir>/datasets/<asset name key>/<version>/<file>` for uploaded data assets,
//! `…/<datastore dir>/models/<model id>/<version>/<path>` for model versions' files (by the
//! model's row id, never reused, so a model deleted and registered again starts afresh).
//! Every part comes from a validated name or path, so nothing lands outside. Writes go to a
//! temporary file first and are renamed into place once recorded.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::domain::datastore::StoredPath;

/// Where a run's output is kept.
pub fn output_file(
    data_dir: &Path,
    workspace_id: i64,
    datastore_dir: &str,
    run: &str,
    path: &StoredPath,
) -> PathBuf {
    let mut file = data_dir.join("workspaces").join(workspace_id.to_string());
    for part in datastore_dir.split('/').chain(["runs", run]).chain(path.as_str().split('/')) {
        file.push(part);
    }
    file
}

/// The file at `path` (checked by `DataUri::parse`: no empty or '..' parts) in a local
/// datastore of the workspace.
pub fn datastore_file(
    data_dir: &Path,
    workspace_id: i64,
    datastore_dir: &str,
    path: &str,
) -> PathBuf {
    let mut file = data_dir.join("workspaces").join(workspace_id.to_string());
    for part in datastore_dir.split('/').chain(path.split('/')) {
        file.push(part);
    }
    file
}

/// Where a run's code snapshot is unpacked; `path` inside it, or the folder itself when `None`.
pub fn snapshot_file(
    data_dir: &Path,
    workspace_id: i64,
    datastore_dir: &str,
    run: &str,
    path: Option<&StoredPath>,
) -> PathBuf {
    let mut file = data_dir.join("workspaces").join(workspace_id.to_string());
    for part in datastore_dir.split('/').chain(["snapshots", run]) {
        file.push(part);
    }
    for part in path.map(|p| p.as_str().split('/')).into_iter().flatten() {
        file.push(part);
    }
    file
}

/// Where a data asset's uploads are kept: all its versions, or one when `version` is given.
pub fn dataset_dir(
    data_dir: &Path,
    workspace_id: i64,
    datastore_dir: &str,
    asset: &str,
    version: Option<i64>,
) -> PathBuf {
    let mut dir = data_dir.join("workspaces").join(workspace_id.to_string());
    for part in datastore_dir.split('/') {
        dir.push(part);
    }
    dir.push("datasets");
    dir.push(asset.to_ascii_lowercase());
    if let Some(version) = version {
        dir.push(version.to_string());
    }
    dir
}

/// Where a model's versions' files are kept: all of them, or one version's when given.
pub fn model_dir(
    data_dir: &Path,
    workspace_id: i64,
    datastore_dir: &str,
    model_id: i64,
    version: Option<i64>,
) -> PathBuf {
    let mut dir = data_dir.join("workspaces").join(workspace_id.to_string());
    for part in datastore_dir.split('/') {
        dir.push(part);
    }
    dir.push("models");
    dir.push(model_id.to_string());
    if let Some(version) = version {
        dir.push(version.to_string());
    }
    dir
}

/// Moves `dir` out of the way under a temporary name, so that a deletion whose records are
/// not yet committed can still be undone with `restore`; `None` when there is no such
/// directory.
pub async fn set_aside(dir: &Path) -> anyhow::Result<Option<PathBuf>> {
    if !tokio::fs::try_exists(dir).await.unwrap_or(false) {
        return Ok(None);
    }
    let (token, _) = super::secrets::new_token()?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("files");
    let aside = dir.with_file_name(format!(".deleting-{name}-{}", &token[..16]));
    tokio::fs::rename(dir, &aside).await.context("setting deleted files aside")?;
    Ok(Some(aside))
}

/// Puts directories set aside back where they were (the deletion was not committed), or
/// removes them for good (it was). Best effort: failures are logged.
pub async fn finish_set_aside(moved: Vec<(PathBuf, PathBuf)>, committed: bool) {
    for (dir, aside) in moved {
        let done = if committed {
            tokio::fs::remove_dir_all(&aside).await
        } else {
            tokio::fs::rename(&aside, &dir).await
        };
        if let Err(error) = done {
            tracing::warn!(%error, committed, "finishing a deletion of stored files");
        }
    }
}

/// Commits a deletion whose records are in `tx`, with the folders of its files: each is set
/// aside first, removed once the transaction commits, and put back if it does not.
pub async fn commit_removing(
    tx: crate::server::db::WriteTransaction,
    dirs: Vec<PathBuf>,
    what: &'static str,
) -> Result<(), crate::error::AppError> {
    use super::error::{internal, OrInternal};
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    for dir in dirs {
        match set_aside(&dir).await {
            Ok(Some(aside)) => moved.push((dir, aside)),
            Ok(None) => {}
            Err(error) => {
                finish_set_aside(moved, false).await;
                return Err(internal(what, error));
            }
        }
    }
    let committed = tx.commit().await.or_internal(what);
    finish_set_aside(moved, committed.is_ok()).await;
    committed
}

/// Moves what was written at `from` (a file or a folder) to `to` and commits the records of it
/// in `tx`: if the move fails, what was written goes; if the commit fails, what was placed goes.
/// Without its records, nothing stays.
pub async fn commit_placing(
    tx: crate::server::db::WriteTransaction,
    from: &Path,
    to: &Path,
    what: &'static str,
) -> Result<(), crate::error::AppError> {
    use super::error::{internal, OrInternal};
    if let Err(error) = tokio::fs::rename(from, to).await {
        remove_path(from).await;
        return Err(internal(what, error));
    }
    let committed = tx.commit().await.or_internal(what);
    if committed.is_err() {
        remove_path(to).await;
    }
    committed
}

/// Removes a file or a folder, if there is one.
pub async fn remove_path(path: &Path) {
    let removed = match tokio::fs::metadata(path).await {
        Ok(meta) if meta.is_dir() => tokio::fs::remove_dir_all(path).await,
        Ok(_) => tokio::fs::remove_file(path).await,
        Err(_) => return,
    };
    if let Err(error) = removed {
        tracing::warn!(%error, "removing files that were not recorded");
    }
}

/// Writes `bytes` next to `target` under a temporary name and returns that name.
pub async fn write_temporary(target: &Path, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let dir = target.parent().context("an output path has a directory")?;
    tokio::fs::create_dir_all(dir).await.context("creating the output's directory")?;
    let (token, _) = super::secrets::new_token()?;
    let temporary = dir.join(format!(".upload-{}", &token[..16]));
    tokio::fs::write(&temporary, bytes).await.context("writing an output")?;
    Ok(temporary)
}

/// Removes the files of a deleted run from every datastore of its workspace. Best effort: the
/// records are gone already, so a file left behind is only logged.
pub async fn remove_run_files(data_dir: &Path, workspace_id: i64, run: &str) {
    let root = data_dir.join("workspaces").join(workspace_id.to_string());
    let Ok(mut stores) = tokio::fs::read_dir(&root).await else { return };
    while let Ok(Some(store)) = stores.next_entry().await {
        for kind in ["runs", "snapshots"] {
            let dir = store.path().join(kind).join(run);
            if tokio::fs::try_exists(&dir).await.unwrap_or(false) {
                if let Err(error) = tokio::fs::remove_dir_all(&dir).await {
                    tracing::warn!(%error, "removing a deleted run's files");
                }
            }
        }
    }
}

/// Removes everything a purged workspace stored.
pub async fn remove_workspace_files(data_dir: &Path, workspace_id: i64) {
    let root = data_dir.join("workspaces").join(workspace_id.to_string());
    if tokio::fs::try_exists(&root).await.unwrap_or(false) {
        if let Err(error) = tokio::fs::remove_dir_all(&root).await {
            tracing::warn!(%error, "removing a purged workspace's files");
        }
    }
}

/// The whole digest of `bytes`, as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// The bytes of an uploaded file sent as base64: the app sends the standard alphabet, a form
/// without JavaScript arrives (through `multipart_forms`) in the URL-safe one.
pub fn decode_base64(content: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    use base64::Engine;
    let content = content.trim();
    STANDARD.decode(content).or_else(|_| URL_SAFE.decode(content)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_decode_from_either_base64_alphabet() {
        let bytes = [0xfb_u8, 0xff, 0xbf, 0x00, 0x41];
        assert_eq!(decode_base64("+/+/AEE=").as_deref(), Some(&bytes[..]));
        assert_eq!(decode_base64("-_-_AEE=").as_deref(), Some(&bytes[..]));
        assert_eq!(decode_base64("not base64!"), None);
    }

    #[test]
    fn outputs_live_under_their_workspace_datastore_and_run() {
        let path = StoredPath::parse("outputs/model.pt").unwrap();
        let file = output_file(Path::new("/data"), 7, "workspaceblobstore", "abc123", &path);
        assert_eq!(
            file,
            Path::new("/data/workspaces/7/workspaceblobstore/runs/abc123/outputs/model.pt")
        );
    }

    #[test]
    fn dataset_uploads_live_under_their_asset_and_version() {
        let dir = dataset_dir(Path::new("/data"), 7, "workspaceblobstore", "Iris", Some(3));
        assert_eq!(dir, Path::new("/data/workspaces/7/workspaceblobstore/datasets/iris/3"));
    }

    #[tokio::test]
    async fn directories_set_aside_come_back_or_go() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("iris");
        tokio::fs::create_dir_all(&dir).await.unwrap();
        tokio::fs::write(dir.join("a.csv"), b"x").await.unwrap();
        let aside = set_aside(&dir).await.unwrap().unwrap();
        assert!(!dir.exists() && aside.exists());
        finish_set_aside(vec![(dir.clone(), aside)], false).await;
        assert!(dir.join("a.csv").exists(), "an undone deletion puts the files back");
        let aside = set_aside(&dir).await.unwrap().unwrap();
        finish_set_aside(vec![(dir.clone(), aside.clone())], true).await;
        assert!(!dir.exists() && !aside.exists());
        assert!(set_aside(&dir).await.unwrap().is_none());
    }
}
