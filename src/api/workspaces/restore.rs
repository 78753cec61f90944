use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Brings back a deleted workspace before its retention window ends.
#[server(endpoint = "workspaces/restore")]
pub async fn restore_workspace(#[server(flatten)] path: WorkspacePath) -> Result<(), AppError> {
    use super::workspace_url;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::WorkspacesDelete, Deleted::Only).await?;
    workspaces::restore(&state.pool, &ws, &actor).await.or_internal("restoring a workspace")?;
    leptos_axum::redirect(&workspace_url(
        &path.organization,
        &path.resource_group,
        &ws.target().name,
    ));
    Ok(())
}
