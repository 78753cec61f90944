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
    use super::{change_error, fields, principal_in};
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::error::ErrorKind;
    use crate::server::db::service_principals;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::RoleAssignmentsDelete)
        .await?;
    if !org.permits(Action::RoleAssignmentsWrite) {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Your role here does not allow managing service principals (give people roles).",
        ));
    }
    let principal = principal_in(&state.pool, &org, &service_principal).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(&principal.name) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the service principal's name to confirm."),
        ));
    }
    let actor = audit::actor(&user).await;
    service_principals::delete(&state.pool, &org, &actor, &principal)
        .await
        .map_err(change_error)?;
    tracing::info!(user_id = user.id, principal = principal.id, "service principal deleted");
    leptos_axum::redirect(&format!("{}/service-principals", org.target().path()));
    Ok(())
}
