use leptos::prelude::*;

use super::TokensView;
use crate::error::AppError;

/// My tokens, newest first, and the places a new one may be limited to.
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<TokensView, AppError> {
    use super::issue::reach_choices;
    use super::row;

    let caller = crate::server::authz::Caller::current().await?;
    let (state, user) = (&caller.state, caller.user());
    let now = state.clock.now();
    Ok(TokensView::new(
        mine(&caller).await?.into_iter().map(|t| row(t, now)).collect(),
        reach_choices(state, user, None).await?,
        now,
    ))
}

/// The caller's own tokens, newest first.
#[cfg(feature = "ssr")]
pub(crate) async fn mine(
    caller: &crate::server::authz::Caller,
) -> Result<Vec<crate::server::db::access_tokens::TokenRecord>, AppError> {
    use crate::server::db::access_tokens;
    use crate::server::error::OrInternal;
    access_tokens::for_user(caller.pool(), caller.user().id).await.or_internal("listing tokens")
}
