use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Stores a file a run wrote (base64 `content`, at most 8 MB) at `path` in the workspace's
/// default datastore, replacing one at the same path; without a path, at `outputs/` and the
/// chosen file's name.
#[server(endpoint = "runs/upload_output")]
pub async fn upload_output(
    #[server(flatten)] ws_path: WorkspacePath,
    run: String,
    #[server(default)] path: String,
    content: String,
    #[server(default)] file_name: String,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::domain::datastore::StoredPath;
    use crate::server::authz::{self, Deleted};
    use crate::server::run_output_files;

    let (state, ws, actor) =
        authz::caller_workspace(&ws_path, Action::RunsWrite, Deleted::Excluded).await?;
    let bytes = super::decode_upload("content", &content, "A file")?;
    let path = match (path.trim(), file_name.trim().rsplit(['/', '\\']).next()) {
        ("", Some(name)) if !name.is_empty() => format!("outputs/{name}"),
        (given, _) => given.to_owned(),
    };
    let path = StoredPath::parse(&path).map_err(|e| AppError::invalid_field("path", e))?;
    let data_dir = &state.settings.data_dir;
    run_output_files::store(&state.pool, data_dir, &ws, &actor, run.trim(), &path, &bytes).await
}
