use leptos::prelude::*;

use super::OrganizationView;
use crate::error::AppError;

#[server(endpoint = "organizations/get")]
pub async fn get_organization(organization: String) -> Result<OrganizationView, AppError> {
    use crate::authz::Action;
    use crate::server::db::resource_groups;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::OrganizationsRead).await?;
    let groups =
        resource_groups::list(&state.pool, &org).await.or_internal("listing resource groups")?;
    let groups =
        authz::filter_permitted(&state.pool, &user, groups, Action::ResourceGroupsRead).await?;
    let target = org.target();
    Ok(OrganizationView {
        slug: target.slug.clone(),
        name: target.name.clone(),
        roles: org.role_names(),
        permitted: org.permitted_actions(),
        resource_groups: groups.into_iter().map(|g| g.target().name.clone()).collect(),
    })
}
