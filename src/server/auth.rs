//! Who is asking: the signed-in person is a user id in the server-side session, re-read from the
//! database on each request so a deleted or disabled account is signed out at once. A session
//! ends after `session_idle_minutes` without a request and, however active,
//! `session_absolute_hours` after signing in (both by the server's clock).

use tower_sessions::Session;

use super::db::users::{self, UserRecord};
use super::error::{internal, OrInternal};
use super::state::AppState;
use crate::error::AppError;

use super::db::sessions::keys;
use super::request_memo::memoized;

/// How often a session's "last seen" is written: each write also extends its expiry.
const SEEN_GRANULARITY: i64 = 60;

/// The session of the current request (inside a server function or a rendered route).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| internal("reading the session", e))
}

/// The signed-in person, read once per page render (see `request_memo`).
pub async fn current_user(state: &AppState) -> Result<Option<UserRecord>, AppError> {
    let load = || async move { user_of_session(state, &session().await?).await };
    memoized(|| "caller".to_owned(), load).await
}

/// The person a session belongs to; a session whose account is gone is ended.
pub async fn user_of_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<UserRecord>, AppError> {
    let read = |e| internal("reading the session", e);
    let Some(user_id) = session.get::<i64>(keys::USER_ID).await.map_err(read)? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let signed_in_at = session.get::<i64>(keys::SIGNED_IN_AT).await.map_err(read)?;
    let last_seen_at = session.get::<i64>(keys::LAST_SEEN_AT).await.map_err(read)?;
    let settings = &state.settings;
    let idle = signed_in_at.is_none()
        || now - last_seen_at.unwrap_or(0) > settings.session_idle_minutes * 60
        || now - signed_in_at.unwrap_or(0) > settings.session_absolute_hours * 3600;
    let user = if idle {
        None
    } else {
        users::find_by_id(&state.pool, user_id).await.or_internal("loading the user")?
    };
    match &user {
        None => session.flush().await.or_internal("ending a stale session")?,
        Some(_) if now - last_seen_at.unwrap_or(0) >= SEEN_GRANULARITY => session
            .insert(keys::LAST_SEEN_AT, now)
            .await
            .or_internal("recording a session's activity")?,
        Some(_) => {}
    }
    Ok(user)
}

/// The signed-in person, or an `Unauthenticated` error.
pub async fn require_user(state: &AppState) -> Result<UserRecord, AppError> {
    current_user(state).await?.ok_or_else(AppError::unauthenticated)
}

/// The application state and the signed-in person: how every tenant server function starts.
pub async fn caller() -> Result<(AppState, UserRecord), AppError> {
    let state = AppState::current()?;
    let user = require_user(&state).await?;
    Ok((state, user))
}

/// Like [`caller`], for instance administration: anyone else is told the page does not exist.
pub async fn caller_instance_admin() -> Result<(AppState, UserRecord), AppError> {
    let (state, user) = caller().await?;
    if !user.is_instance_admin {
        return Err(AppError::not_found());
    }
    Ok((state, user))
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless,
/// noting when, from which browser and address (for the person's Sessions page).
pub async fn start_session(user_id: i64) -> Result<(), AppError> {
    let state = AppState::current()?;
    let session = session().await?;
    session.cycle_id().await.or_internal("rotating the session id")?;
    let now = state.clock.now();
    let agent = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|headers| {
            let agent = headers.get(axum::http::header::USER_AGENT)?;
            agent.to_str().ok().map(str::to_owned)
        })
        .unwrap_or_default();
    let address = super::audit::client_address().await;
    let write = |e| internal("writing the session", e);
    session.insert(keys::USER_ID, user_id).await.map_err(write)?;
    session.insert(keys::SIGNED_IN_AT, now).await.map_err(write)?;
    session.insert(keys::LAST_SEEN_AT, now).await.map_err(write)?;
    session.insert(keys::USER_AGENT, agent).await.map_err(write)?;
    session.insert(keys::CLIENT_ADDRESS, address).await.map_err(write)?;
    Ok(())
}

/// The stored key of the current request's session, when it has one.
pub async fn current_session_key() -> Result<Option<String>, AppError> {
    Ok(session().await?.id().map(|id| super::db::sessions::hash_of(&id)))
}

/// Deletes the session on the server; the old cookie is worthless afterwards.
pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.or_internal("ending the session")
}
