use leptos::prelude::*;

use super::CurrentUser as User;
use crate::error::AppError;

/// The signed-in person, or `None` for a visitor.
#[server(endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use crate::server::{auth, state::AppState};
    let state = AppState::current()?;
    Ok(auth::current_user(&state).await?.map(|user| User {
        id: user.id,
        display_name: user.display_name,
        email: user.email,
        is_instance_admin: user.is_instance_admin,
    }))
}
