use leptos::prelude::*;

use super::ResourceGroupView;
use crate::error::AppError;

#[server(endpoint = "resource_groups/get")]
pub async fn get_resource_group(
    organization: String,
    resource_group: String,
) -> Result<ResourceGroupView, AppError> {
    use super::DeletedWorkspace;
    use crate::api::workspaces::WorkspaceCard;
    use crate::authz::Action;
    use crate::server::db::workspaces;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let group = authz::resource_group(
        &state.pool,
        &user,
        &organization,
        &resource_group,
        Action::ResourceGroupsRead,
    )
    .await?;
    let listings =
        workspaces::in_group(&state.pool, &group).await.or_internal("listing workspaces")?;
    let (deleted, live): (Vec<_>, Vec<_>) = listings.into_iter().partition(|w| w.scope.deleted);
    let live = authz::filter_permitted(&state.pool, &user, live, Action::WorkspacesRead).await?;
    let deleted =
        authz::filter_permitted(&state.pool, &user, deleted, Action::WorkspacesDelete).await?;
    let target = group.target();
    Ok(ResourceGroupView {
        organization_slug: target.organization.slug.clone(),
        organization_name: target.organization.name.clone(),
        name: target.name.clone(),
        roles: group.role_names(),
        permitted: group.permitted_actions(),
        workspaces: live.iter().map(WorkspaceCard::from_listing).collect(),
        deleted_workspaces: deleted
            .iter()
            .map(|w| {
                let w = w.target();
                DeletedWorkspace {
                    name: w.scope.name.clone(),
                    display_name: w.display_name.clone(),
                    purge_after: w.purge_after.unwrap_or_default(),
                }
            })
            .collect(),
    })
}
