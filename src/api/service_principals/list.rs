use leptos::prelude::*;

use super::ServicePrincipalsView;
use crate::error::AppError;

/// The organization's service principals, with their role and live-token counts.
#[server(endpoint = "service_principals/list")]
pub async fn list_service_principals(
    organization: String,
) -> Result<ServicePrincipalsView, AppError> {
    use super::ServicePrincipalRow;
    use crate::authz::Action;
    use crate::server::db::service_principals;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::RoleAssignmentsRead).await?;
    let listed = service_principals::list(&state.pool, &org)
        .await
        .or_internal("listing service principals")?;
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
