use leptos::prelude::*;

use crate::error::AppError;

/// Creates a service principal in the organization and opens its tokens; answers its identity
/// (what it is given roles by).
#[server(endpoint = "service_principals/create")]
pub async fn create_service_principal(
    organization: String,
    name: String,
) -> Result<String, AppError> {
    use super::{change_error, fields, identity};
    use crate::authz::Action;
    use crate::domain::service_principal::ServicePrincipalName;
    use crate::server::db::service_principals;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::RoleAssignmentsWrite)
        .await?;
    let name =
        ServicePrincipalName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let identity = identity(&name, &org)?;
    let actor = audit::actor(&user).await;
    let created = service_principals::create(&state.pool, &org, &actor, &name, &identity)
        .await
        .map_err(change_error)?;
    tracing::info!(user_id = user.id, principal = created.id, "service principal created");
    leptos_axum::redirect(&format!(
        "{}/service-principals?principal={}",
        org.target().path(),
        created.name
    ));
    Ok(created.identity)
}
