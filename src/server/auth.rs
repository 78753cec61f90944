//! Who is asking: the signed-in person is a user id in the server-side session, re-read from the
//! database on each request so a deleted account is signed out at once.

use tower_sessions::Session;

use super::db::users::{self, UserRecord};
use super::error::{internal, OrInternal};
use super::state::AppState;
use crate::error::AppError;

const USER_ID: &str = "user_id";

/// The session of the current request (inside a server function or a rendered route).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| internal("reading the session", e))
}

pub async fn current_user(state: &AppState) -> Result<Option<UserRecord>, AppError> {
    user_of_session(state, &session().await?).await
}

/// The person a session belongs to; a session whose account is gone is ended.
pub async fn user_of_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<UserRecord>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID).await.or_internal("reading the session")?
    else {
        return Ok(None);
    };
    let user = users::find_by_id(&state.pool, user_id).await.or_internal("loading the user")?;
    if user.is_none() {
        session.flush().await.or_internal("ending a stale session")?;
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

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn start_session(user_id: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.or_internal("rotating the session id")?;
    session.insert(USER_ID, user_id).await.or_internal("writing the session")?;
    Ok(())
}

/// Deletes the session on the server; the old cookie is worthless afterwards.
pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.or_internal("ending the session")
}
