use leptos::prelude::*;

use super::SessionRow;
use crate::error::AppError;

/// The signed-in person's live sessions, most recently seen first.
#[server(endpoint = "sessions/list")]
pub async fn list_sessions() -> Result<Vec<SessionRow>, AppError> {
    use super::browser_name;
    use crate::server::db::sessions;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let current = auth::current_session_key().await?;
    let found = sessions::of_user(&state.pool, user.id).await.or_internal("listing sessions")?;
    Ok(found
        .into_iter()
        .map(|s| SessionRow {
            current: current.as_deref() == Some(s.id_hash.as_str()),
            browser: browser_name(&s.user_agent),
            address: s.client_address,
            signed_in_at: s.signed_in_at,
            last_seen_at: s.last_seen_at,
            key: s.id_hash,
        })
        .collect())
}
