use leptos::prelude::*;

use crate::error::AppError;

/// Ends one of a service principal's tokens: the next request made with it is refused.
#[server(endpoint = "service_principals/revoke_token")]
pub async fn revoke_service_principal_token(
    organization: String,
    service_principal: String,
    id: i64,
) -> Result<(), AppError> {
    use super::principal_in;
    use crate::authz::Action;
    use crate::server::db::service_principal_tokens;
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::RoleAssignmentsWrite)
        .await?;
    let principal = principal_in(&state.pool, &org, &service_principal).await?;
    let actor = audit::actor(&user).await;
    let at = state.clock.now();
    let revoked = service_principal_tokens::revoke(&state.pool, &org, &actor, (&principal, id), at)
        .await
        .or_internal("revoking a token")?;
    if !revoked {
        return Err(AppError::not_found());
    }
    tracing::info!(user_id = user.id, principal = principal.id, token_id = id, "token revoked");
    Ok(())
}
