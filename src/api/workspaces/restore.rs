use leptos::prelude::*;

use crate::error::AppError;

/// Brings back a deleted workspace before its retention window ends.
#[server(endpoint = "workspaces/restore")]
pub async fn restore_workspace(
    organization: String,
    resource_group: String,
    workspace: String,
) -> Result<(), AppError> {
    use super::workspace_url;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, actor) =
        authz::caller_workspace(path, Action::WorkspacesDelete, Deleted::Only).await?;
    workspaces::restore(&state.pool, &ws, &actor).await.or_internal("restoring a workspace")?;
    leptos_axum::redirect(&workspace_url(&organization, &resource_group, &ws.target().name));
    Ok(())
}
