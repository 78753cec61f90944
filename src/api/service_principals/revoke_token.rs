use leptos::prelude::*;

use crate::error::AppError;

/// Ends one of a service principal's tokens: the next request made with it is refused.
#[server(endpoint = "service_principals/revoke_token")]
pub async fn revoke_service_principal_token(
    organization: String,
    service_principal: String,
    id: i64,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    revoke_token(&caller, &organization, &service_principal, id).await
}

/// Revokes the service principal's token `id`.
#[cfg(feature = "ssr")]
pub(crate) async fn revoke_token(
    caller: &crate::server::authz::Caller,
    organization: &str,
    service_principal: &str,
    id: i64,
) -> Result<(), AppError> {
    use super::principal_in;
    use crate::authz::Action;
    use crate::server::db::service_principal_tokens;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::RoleAssignmentsWrite).await?;
    let pool = caller.pool();
    let principal = principal_in(pool, &org, service_principal).await?;
    let at = caller.state.clock.now();
    let revoked = service_principal_tokens::revoke(pool, &org, &caller.actor, (&principal, id), at)
        .await
        .or_internal("revoking a token")?;
    if !revoked {
        return Err(AppError::not_found());
    }
    let user_id = caller.user().id;
    tracing::info!(user_id, principal = principal.id, token_id = id, "token revoked");
    Ok(())
}
