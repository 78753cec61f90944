use leptos::prelude::*;

use super::RolesView;
use crate::error::AppError;

/// The built-in roles and the organization's custom roles.
#[server(endpoint = "roles/list")]
pub async fn list_roles(organization: String) -> Result<RolesView, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let (org, roles) = roles_of(&caller, &organization).await?;
    Ok(RolesView {
        organization_slug: org.target().slug.clone(),
        organization_name: org.target().name.clone(),
        roles,
        permitted: org.permitted_actions(),
    })
}

/// The built-in roles and `organization`'s custom roles, for whoever may read its roles.
#[cfg(feature = "ssr")]
pub(crate) async fn roles_of(
    caller: &crate::server::authz::Caller,
    organization: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        Vec<crate::authz::RoleDefinition>,
    ),
    AppError,
> {
    use crate::authz::builtin::builtin_roles;
    use crate::authz::Action;
    use crate::server::db::role_definitions;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::RoleDefinitionsRead).await?;
    let custom = role_definitions::for_organization(caller.pool(), org.target().id)
        .await
        .or_internal("listing roles")?;
    Ok((org, builtin_roles().iter().cloned().chain(custom).collect()))
}
