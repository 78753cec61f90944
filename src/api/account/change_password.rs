use leptos::prelude::*;

use crate::error::AppError;

/// Changes the password. Needs the current one; every other session of the account ends (this
/// one stays signed in). Access tokens stay: they are revoked on their own page.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    set_password(current_password, new_password).await
}

#[cfg(feature = "ssr")]
async fn set_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::Password;
    use crate::server::db::{account_changes, sessions};
    use crate::server::{auth, error::OrInternal, password as hashing};

    let password = Password::parse(&new_password)
        .map_err(|e| AppError::invalid_field(fields::NEW_PASSWORD, e))?;
    let (state, user) = auth::caller().await?;
    super::check_current_password(&state, &user, current_password).await?;
    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(|e| hashing::refusal(e, "hashing a password"))?;
    account_changes::set_password(&state.pool, user.id, &hash, state.clock.now())
        .await
        .or_internal("storing a password")?;
    let keep = auth::current_session_key().await?;
    sessions::end_all_for_user(&state.pool, user.id, keep.as_deref())
        .await
        .or_internal("ending other sessions")?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(())
}
