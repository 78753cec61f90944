use leptos::prelude::*;

use crate::error::AppError;

/// Creates a service principal in the organization and opens its tokens; answers its identity
/// (what it is given roles by).
#[server(endpoint = "service_principals/create")]
pub async fn create_service_principal(
    organization: String,
    name: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let (org, created) = create(&caller, &organization, &name).await?;
    leptos_axum::redirect(&format!(
        "{}/service-principals?principal={}",
        org.target().path(),
        created.name
    ));
    Ok(created.identity)
}

/// Creates the service principal `name` in `organization`.
#[cfg(feature = "ssr")]
pub(crate) async fn create(
    caller: &crate::server::authz::Caller,
    organization: &str,
    name: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        crate::server::db::service_principals::ServicePrincipal,
    ),
    AppError,
> {
    use super::{change_error, fields, identity};
    use crate::authz::Action;
    use crate::domain::service_principal::ServicePrincipalName;
    use crate::server::db::service_principals;

    let org = caller.organization(organization, Action::RoleAssignmentsWrite).await?;
    let name =
        ServicePrincipalName::parse(name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let identity = identity(&name, &org)?;
    let created = service_principals::create(caller.pool(), &org, &caller.actor, &name, &identity)
        .await
        .map_err(change_error)?;
    let user_id = caller.user().id;
    tracing::info!(user_id, principal = created.id, "service principal created");
    Ok((org, created))
}
