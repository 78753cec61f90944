use leptos::prelude::*;

use crate::error::AppError;

/// Ends one of my tokens: the next request made with it is refused.
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    revoke(&caller, id).await
}

/// Revokes the caller's token `id` (not a read-only token's to do).
#[cfg(feature = "ssr")]
pub(crate) async fn revoke(caller: &crate::server::authz::Caller, id: i64) -> Result<(), AppError> {
    use crate::server::db::access_tokens;
    use crate::server::error::OrInternal;

    if caller.principal.limits.read_only {
        return Err(AppError::new(
            crate::error::ErrorKind::Forbidden,
            "This token is read-only: it cannot change anything.",
        ));
    }
    let (state, user) = (&caller.state, caller.user());
    let revoked = access_tokens::revoke(&state.pool, user.id, id, state.clock.now())
        .await
        .or_internal("revoking a token")?;
    if !revoked {
        return Err(AppError::not_found());
    }
    tracing::info!(user_id = user.id, token_id = id, "access token revoked");
    Ok(())
}
