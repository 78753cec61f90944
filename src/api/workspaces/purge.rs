use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Removes a deleted workspace for good, without waiting for the retention window.
#[server(endpoint = "workspaces/purge")]
pub async fn purge_workspace(#[server(flatten)] path: WorkspacePath) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::WorkspacesDelete, Deleted::Only).await?;
    workspaces::purge(&state.pool, &ws, &actor).await.or_internal("purging a workspace")?;
    crate::server::storage::remove_workspace_files(&state.settings.data_dir, ws.target().id).await;
    tracing::info!(user_id = ws.user_id(), workspace_id = ws.target().id, "workspace purged");
    leptos_axum::redirect(&format!(
        "/organizations/{}/resourceGroups/{}",
        path.organization, path.resource_group
    ));
    Ok(())
}
