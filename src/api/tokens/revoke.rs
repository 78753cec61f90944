use leptos::prelude::*;

use crate::error::AppError;

/// Ends one of my tokens: the next request made with it is refused.
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::server::db::access_tokens;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let revoked = access_tokens::revoke(&state.pool, user.id, id, state.clock.now())
        .await
        .or_internal("revoking a token")?;
    if !revoked {
        return Err(AppError::not_found());
    }
    tracing::info!(user_id = user.id, token_id = id, "access token revoked");
    Ok(())
}
