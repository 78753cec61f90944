use leptos::prelude::*;

use crate::error::AppError;

/// Stores a file a run wrote (base64 `content`, at most 8 MB) at `path` in the workspace's
/// default datastore, replacing one at the same path; without a path, at `outputs/` and the
/// chosen file's name.
#[server(endpoint = "runs/upload_output")]
pub async fn upload_output(
    organization: String,
    resource_group: String,
    workspace: String,
    run: String,
    #[server(default)] path: String,
    content: String,
    #[server(default)] file_name: String,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::domain::datastore::StoredPath;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::run_outputs;
    use crate::server::error::OrInternal;
    use crate::server::storage;

    let ws_path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, actor) =
        authz::caller_workspace(ws_path, Action::RunsWrite, Deleted::Excluded).await?;
    let bytes = super::decode_upload("content", &content, "A file")?;
    let path = match (path.trim(), file_name.trim().rsplit(['/', '\\']).next()) {
        ("", Some(name)) if !name.is_empty() => format!("outputs/{name}"),
        (given, _) => given.to_owned(),
    };
    let path = StoredPath::parse(&path).map_err(|e| AppError::invalid_field("path", e))?;
    let run = run.trim();
    let mut tx = state.pool.begin().await.or_internal("starting a transaction")?;
    let place = run_outputs::place(&mut tx, &ws, run).await.map_err(super::change_error)?;
    let file = storage::output_file(
        &state.settings.data_dir,
        ws.target().id,
        &place.datastore_path,
        run,
        &path,
    );
    let temporary =
        storage::write_temporary(&file, &bytes).await.or_internal("storing an output")?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let recorded = async {
        run_outputs::upsert(
            &mut tx,
            &ws,
            &actor,
            &place,
            &path,
            size,
            &storage::sha256_hex(&bytes),
        )
        .await
        .map_err(super::change_error)?;
        tokio::fs::rename(&temporary, &file).await.or_internal("storing an output")?;
        tx.commit().await.or_internal("recording an output")
    }
    .await;
    if recorded.is_err() {
        // Nothing half-written: without its record, the file goes too.
        let _ = tokio::fs::remove_file(&temporary).await;
    }
    recorded
}
