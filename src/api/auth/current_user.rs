use leptos::prelude::*;

use super::CurrentUser as User;
use crate::error::AppError;

/// The signed-in person, or `None` for a visitor.
#[server(endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use crate::server::db::invitations;
    use crate::server::{auth, error::OrInternal, state::AppState};
    let state = AppState::current()?;
    let Some(user) = auth::current_user(&state).await? else { return Ok(None) };
    let email_confirmed = user.email_confirmed;
    let pending = if email_confirmed {
        invitations::inbox(&state.pool, &user.email.to_lowercase(), state.clock.now())
            .await
            .or_internal("counting invitations")?
            .len()
    } else {
        0
    };
    Ok(Some(User {
        id: user.id,
        display_name: user.display_name,
        email: user.email,
        is_instance_admin: user.is_instance_admin,
        pending_invitations: pending,
        email_confirmed,
    }))
}
