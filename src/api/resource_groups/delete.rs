use leptos::prelude::*;

use crate::error::AppError;

/// Deletes an empty resource group; one that still holds workspaces is refused with a count.
#[server(endpoint = "resource_groups/delete")]
pub async fn delete_resource_group(
    organization: String,
    resource_group: String,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    delete(&caller, &organization, &resource_group).await?;
    leptos_axum::redirect(&format!("/organizations/{organization}"));
    Ok(())
}

/// Deletes the resource group, if it holds no workspace.
#[cfg(feature = "ssr")]
pub(crate) async fn delete(
    caller: &crate::server::authz::Caller,
    organization: &str,
    resource_group: &str,
) -> Result<(), AppError> {
    use super::change_error;
    use crate::authz::Action;
    use crate::server::db::resource_groups;

    let group =
        caller.resource_group(organization, resource_group, Action::ResourceGroupsDelete).await?;
    resource_groups::delete(caller.pool(), &group, &caller.actor).await.map_err(change_error)
}
