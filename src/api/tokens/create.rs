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
    use super::issue::{chosen_reach, prepare};
    use crate::server::db::access_tokens;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let now = state.clock.now();
    let prepared = prepare(&name, &ends_on, now)?;
    let reach = chosen_reach(&state, &user, &reach).await?;
    let token = prepared.token((user.id, user.id), reach, read_only.is_some(), now);
    let id = access_tokens::create(&state.pool, &token).await.or_internal("storing a token")?;
    tracing::info!(user_id = user.id, token_id = id, "access token created");
    let answer = prepared.answer();
    crate::api::plain_form::keep_answer::<CreateToken>("", &answer).await;
    Ok(answer)
}
