use leptos::prelude::*;

use crate::error::AppError;

/// Signs out one of my sessions (not this one: "Sign out" does that).
#[server(endpoint = "sessions/end")]
pub async fn end_one_session(key: String) -> Result<(), AppError> {
    end_one(key).await
}

#[cfg(feature = "ssr")]
async fn end_one(key: String) -> Result<(), AppError> {
    use crate::server::db::sessions;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    if auth::current_session_key().await?.as_deref() == Some(key.as_str()) {
        return Err(AppError::new(
            crate::error::ErrorKind::Invalid,
            "This is the session you are using: sign out from the account menu instead.",
        ));
    }
    let ended =
        sessions::end_one(&state.pool, user.id, &key).await.or_internal("ending a session")?;
    if !ended {
        return Err(AppError::not_found());
    }
    tracing::info!(user_id = user.id, "ended one of their sessions");
    Ok(())
}

/// Signs out every session of mine but this one.
#[server(endpoint = "sessions/end_others")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    end_others().await
}

#[cfg(feature = "ssr")]
async fn end_others() -> Result<u64, AppError> {
    use crate::server::db::sessions;
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let keep = auth::current_session_key().await?;
    let ended = sessions::end_all_for_user(&state.pool, user.id, keep.as_deref())
        .await
        .or_internal("ending sessions")?;
    tracing::info!(user_id = user.id, ended, "ended their other sessions");
    Ok(ended)
}
