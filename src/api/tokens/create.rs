use leptos::prelude::*;

use super::CreatedToken;
use crate::error::AppError;

/// Creates a token acting for me, limited to `reach` (everything, an organization's path or a
/// workspace's) and, when `read_only` is given, to reading. The secret is answered once.
#[server(endpoint = "tokens/create")]
pub async fn create_token(
    name: String,
    reach: String,
    #[server(default)] read_only: Option<String>,
    #[server(default)] ends_on: String,
) -> Result<CreatedToken, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let answer = create(&caller, &name, &reach, read_only.is_some(), &ends_on).await?;
    crate::api::plain_form::keep_answer::<CreateToken>("", &answer).await;
    Ok(answer)
}

/// Makes a token for the caller. Made with a token, it stays within that token's limits: no
/// wider reach, read-only if it is, and ending no later.
#[cfg(feature = "ssr")]
pub(crate) async fn create(
    caller: &crate::server::authz::Caller,
    name: &str,
    reach: &str,
    read_only: bool,
    ends_on: &str,
) -> Result<CreatedToken, AppError> {
    use super::issue::{chosen_reach, prepare, within_credential};
    use crate::server::db::access_tokens;
    use crate::server::error::OrInternal;

    let (state, user) = (&caller.state, caller.user());
    let now = state.clock.now();
    let prepared = prepare(name, ends_on, now)?;
    let reach = chosen_reach(state, user, reach).await?;
    within_credential(caller.principal.limits, &reach, read_only, prepared.expires_at)?;
    let token = prepared.token((user.id, user.id), reach, read_only, now);
    let id = access_tokens::create(&state.pool, &token).await.or_internal("storing a token")?;
    tracing::info!(user_id = user.id, token_id = id, "access token created");
    Ok(prepared.answer())
}
