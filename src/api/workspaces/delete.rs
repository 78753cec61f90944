use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a workspace after its name is typed to confirm. It can be restored until the
/// retention window ends; then it is purged.
#[server(endpoint = "workspaces/delete")]
pub async fn delete_workspace(
    #[server(flatten)] path: WorkspacePath,
    confirm_name: String,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    delete(&caller, &path, Some(&confirm_name)).await?;
    leptos_axum::redirect(&format!(
        "/organizations/{}/resourceGroups/{}",
        path.organization, path.resource_group
    ));
    Ok(())
}

/// Deletes (restorably) the workspace at `path`; the studio's form passes the name typed to
/// confirm, which must be the workspace's.
#[cfg(feature = "ssr")]
pub(crate) async fn delete(
    caller: &crate::server::authz::Caller,
    path: &WorkspacePath,
    confirm_name: Option<&str>,
) -> Result<(), AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::Deleted;
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let ws = caller.workspace(path, Action::WorkspacesDelete, Deleted::Excluded).await?;
    if confirm_name.is_some_and(|typed| typed.trim() != ws.target().name) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new(format!("Type the workspace's name, {}, to confirm.", ws.target().name)),
        ));
    }
    let days = caller.state.settings.workspace_retention_days;
    workspaces::soft_delete(caller.pool(), &ws, &caller.actor, days)
        .await
        .or_internal("deleting a workspace")?;
    tracing::info!(user_id = ws.user_id(), workspace_id = ws.target().id, "workspace deleted");
    Ok(())
}
