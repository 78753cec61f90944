use leptos::prelude::*;

use crate::error::AppError;

/// Deletes a service principal, after its name is typed to confirm: its roles are removed and
/// its tokens revoked, effective on their next request.
#[server(endpoint = "service_principals/delete")]
pub async fn delete_service_principal(
    organization: String,
    service_principal: String,
    confirm_name: String,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let org = delete(&caller, &organization, &service_principal, Some(&confirm_name)).await?;
    leptos_axum::redirect(&format!("{}/service-principals", org.target().path()));
    Ok(())
}

/// Deletes a service principal (the studio's form passes the name typed to confirm).
#[cfg(feature = "ssr")]
pub(crate) async fn delete(
    caller: &crate::server::authz::Caller,
    organization: &str,
    service_principal: &str,
    confirm_name: Option<&str>,
) -> Result<crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>, AppError>
{
    use super::{change_error, fields, principal_in};
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::error::ErrorKind;
    use crate::server::db::service_principals;

    let org = caller.organization(organization, Action::RoleAssignmentsDelete).await?;
    if !org.permits(Action::RoleAssignmentsWrite) {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Your role here does not allow managing service principals (give people roles).",
        ));
    }
    let principal = principal_in(caller.pool(), &org, service_principal).await?;
    if confirm_name.is_some_and(|typed| !typed.trim().eq_ignore_ascii_case(&principal.name)) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the service principal's name to confirm."),
        ));
    }
    service_principals::delete(caller.pool(), &org, &caller.actor, &principal)
        .await
        .map_err(change_error)?;
    let user_id = caller.user().id;
    tracing::info!(user_id, principal = principal.id, "service principal deleted");
    Ok(org)
}
