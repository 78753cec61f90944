use leptos::prelude::*;

use super::OrganizationView;
use crate::error::AppError;

#[server(endpoint = "organizations/get")]
pub async fn get_organization(organization: String) -> Result<OrganizationView, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let (org, groups) = resource_groups_of(&caller, &organization).await?;
    let target = org.target();
    Ok(OrganizationView {
        slug: target.slug.clone(),
        name: target.name.clone(),
        roles: org.role_names(),
        permitted: org.permitted_actions(),
        resource_groups: groups.into_iter().map(|g| g.target().name.clone()).collect(),
    })
}

/// The organization, for whoever may read it, and those of its resource groups they may read.
#[cfg(feature = "ssr")]
pub(crate) async fn resource_groups_of(
    caller: &crate::server::authz::Caller,
    organization: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        Vec<crate::server::authz::Authorized<crate::server::db::scopes::ResourceGroupScope>>,
    ),
    AppError,
> {
    use crate::authz::Action;
    use crate::server::db::resource_groups;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::OrganizationsRead).await?;
    let groups =
        resource_groups::list(caller.pool(), &org).await.or_internal("listing resource groups")?;
    let groups = caller.filter_permitted(groups, Action::ResourceGroupsRead).await?;
    Ok((org, groups))
}
