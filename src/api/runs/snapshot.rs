//! A run's code snapshot: the archive of the scripts it ran, unpacked once, browsed as a tree,
//! its files read as text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::WorkspacePath;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotSummary {
    pub archive_name: String,
    pub file_count: i64,
    pub total_size: i64,
    pub created_by: String,
    pub created_at: i64,
}

/// What a file of the snapshot holds, as far as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileContent {
    /// The text, cut at `SHOWN_BYTES` when `truncated`.
    Text {
        text: String,
        truncated: bool,
    },
    Binary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFile {
    pub path: String,
    pub size: i64,
    pub content: FileContent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotView {
    pub workspace: WorkspaceCrumbs,
    pub run: String,
    pub run_display_name: String,
    pub experiment: String,
    pub entry_point: String,
    /// `None` until the run has a snapshot.
    pub snapshot: Option<SnapshotSummary>,
    /// (path, size) in path order.
    pub files: Vec<(String, i64)>,
    pub open: Option<OpenFile>,
    pub permitted: Vec<Action>,
}

/// At most this much of a file is shown.
pub const SHOWN_BYTES: usize = 256 * 1024;

pub mod fields {
    pub const ARCHIVE_NAME: &str = "archive_name";
    pub const CONTENT: &str = "content";
}

/// The run's snapshot: its file list and, when `file` names one of them, that file.
#[server(endpoint = "runs/snapshot")]
pub async fn run_snapshot(
    #[server(flatten)] path: WorkspacePath,
    run: String,
    #[server(default)] file: String,
) -> Result<SnapshotView, AppError> {
    use crate::domain::datastore::StoredPath;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::run_snapshots;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
    let record = super::find_run(&state.pool, &ws, &run).await?;
    let snapshot =
        run_snapshots::get(&state.pool, &ws, record.id).await.or_internal("reading a snapshot")?;
    let files = match &snapshot {
        Some(_) => run_snapshots::files(&state.pool, &ws, record.id)
            .await
            .or_internal("reading a snapshot's files")?,
        None => Vec::new(),
    };
    // Without a choice, the file the entry point runs is the one to read first.
    let wanted = match file.trim() {
        "" => crate::domain::file_tree::entry_file(&record.entry_point, &files).unwrap_or_default(),
        chosen => chosen.to_owned(),
    };
    let open = match (&snapshot, wanted.as_str()) {
        (Some(snapshot), wanted) if !wanted.is_empty() => {
            // Only a listed file is opened: the list is the snapshot, whatever the disk holds.
            let (path, size) = files
                .iter()
                .find(|(path, _)| path == wanted)
                .cloned()
                .ok_or_else(AppError::not_found)?;
            let stored = StoredPath::parse(&path).map_err(|_| AppError::not_found())?;
            let on_disk = crate::server::storage::snapshot_file(
                &state.settings.data_dir,
                ws.target().id,
                &snapshot.datastore_path,
                &record.name,
                Some(&stored),
            );
            let bytes =
                read_start(&on_disk, SHOWN_BYTES).await.or_internal("reading a snapshot file")?;
            Some(OpenFile { content: content_of(&bytes, size), path, size })
        }
        _ => None,
    };
    Ok(SnapshotView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        run: record.name,
        run_display_name: record.display_name,
        experiment: record.experiment,
        entry_point: record.entry_point,
        snapshot: snapshot.map(summary),
        files,
        open,
        permitted: ws.permitted_actions(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(r: crate::server::db::run_snapshots::SnapshotRecord) -> SnapshotSummary {
    SnapshotSummary {
        archive_name: r.archive_name,
        file_count: r.file_count,
        total_size: r.total_size,
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

/// The first `limit` bytes of a file, without reading the rest.
#[cfg(feature = "ssr")]
async fn read_start(file: &std::path::Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    tokio::fs::File::open(file).await?.take(limit as u64).read_to_end(&mut bytes).await?;
    Ok(bytes)
}

/// Text when the bytes are UTF-8 without NUL (a multi-byte character cut by the limit is
/// dropped), binary otherwise.
#[cfg(any(feature = "ssr", test))]
fn content_of(bytes: &[u8], size: i64) -> FileContent {
    let truncated = i64::try_from(bytes.len()).unwrap_or(i64::MAX) < size;
    if bytes.contains(&0) {
        return FileContent::Binary;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => FileContent::Text { text: text.to_owned(), truncated },
        // Only the last few bytes may be an unfinished character, and only when cut.
        Err(e) if truncated && bytes.len() - e.valid_up_to() < 4 && e.error_len().is_none() => {
            let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            FileContent::Text { text, truncated }
        }
        Err(_) => FileContent::Binary,
    }
}

/// Stores the run's code snapshot from an archive (base64 `content`, at most 8 MB, named
/// `archive_name`: .zip, .tar.gz, .tgz or .tar). A run has one snapshot, never replaced.
#[server(endpoint = "runs/upload_snapshot")]
pub async fn upload_snapshot(
    #[server(flatten)] path: WorkspacePath,
    run: String,
    #[server(default)] archive_name: String,
    content: String,
) -> Result<(), AppError> {
    use crate::server::authz::{self, Deleted};
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::RunsWrite, Deleted::Excluded).await?;
    let archive_name =
        archive_name.trim().rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    let bytes = super::decode_upload(fields::CONTENT, &content, "An archive")?;
    let name = archive_name.clone();
    let files =
        tokio::task::spawn_blocking(move || crate::server::snapshot_archive::unpack(&name, &bytes))
            .await
            .or_internal("unpacking a snapshot")?
            .map_err(|e| AppError::invalid_field(fields::ARCHIVE_NAME, e))?;
    super::snapshot_store::store(&state, &ws, &actor, run.trim(), &archive_name, files).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_binary_and_a_character_cut_by_the_limit() {
        let text = |t: &str| FileContent::Text { text: t.to_owned(), truncated: false };
        assert_eq!(content_of(b"print(1)\n", 9), text("print(1)\n"));
        assert_eq!(content_of(b"\x89PNG\0\0", 6), FileContent::Binary);
        assert_eq!(content_of(b"\xff\xfe", 2), FileContent::Binary);
        // "é" is two bytes; the limit cut it after the first.
        assert_eq!(
            content_of("abé".as_bytes()[..3].as_ref(), 10),
            FileContent::Text { text: "ab".to_owned(), truncated: true }
        );
    }
}
