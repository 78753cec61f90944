use leptos::prelude::*;

use super::TokensView;
use crate::error::AppError;

/// My tokens, newest first, and the places a new one may be limited to.
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<TokensView, AppError> {
    use super::issue::reach_choices;
    use super::row;
    use crate::server::db::access_tokens;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let now = state.clock.now();
    let tokens =
        access_tokens::for_user(&state.pool, user.id).await.or_internal("listing tokens")?;
    Ok(TokensView::new(
        tokens.into_iter().map(|t| row(t, now)).collect(),
        reach_choices(&state, &user, None).await?,
        now,
    ))
}
