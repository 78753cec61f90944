use leptos::prelude::*;

use super::ServicePrincipalsView;
use crate::error::AppError;

/// The organization's service principals, with their role and live-token counts.
#[server(endpoint = "service_principals/list")]
pub async fn list_service_principals(
    organization: String,
) -> Result<ServicePrincipalsView, AppError> {
    use super::ServicePrincipalRow;

    let caller = crate::server::authz::Caller::current().await?;
    let (org, listed) = principals_of(&caller, &organization).await?;
    let target = org.target();
    Ok(ServicePrincipalsView {
        organization_slug: target.slug.clone(),
        organization_name: target.name.clone(),
        principals: listed
            .into_iter()
            .map(|l| ServicePrincipalRow {
                name: l.principal.name,
                identity: l.principal.identity,
                created_at: l.principal.created_at,
                roles: l.roles,
                active_tokens: l.active_tokens,
            })
            .collect(),
        permitted: org.permitted_actions(),
    })
}

/// The organization's service principals, for whoever may read its role assignments.
#[cfg(feature = "ssr")]
pub(crate) async fn principals_of(
    caller: &crate::server::authz::Caller,
    organization: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        Vec<crate::server::db::service_principals::Listed>,
    ),
    AppError,
> {
    use crate::authz::Action;
    use crate::server::db::service_principals;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::RoleAssignmentsRead).await?;
    let listed = service_principals::list(caller.pool(), &org)
        .await
        .or_internal("listing service principals")?;
    Ok((org, listed))
}
