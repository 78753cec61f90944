//! Forgotten passwords: a link mailed to the account's address, used once within the hour.

use leptos::prelude::*;

use crate::error::AppError;

/// Asks for a reset link. The answer is the same, after the same work, for any address: the
/// link is looked up and mailed after the answer has gone, so neither the answer nor its
/// timing tells whether the address has an account.
#[server(endpoint = "auth/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    request_reset_link(email).await
}

#[cfg(feature = "ssr")]
async fn request_reset_link(email: String) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::Email;
    use crate::server::throttle::Kind;
    use crate::server::{audit, state::AppState};

    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let state = AppState::current()?;
    let address = audit::client_address().await;
    let account = email.key();
    let throttle = &state.throttle;
    throttle
        .check(Kind::PasswordResetAddress, &address)
        .and(throttle.check(Kind::PasswordResetAccount, &account))
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    throttle.record(Kind::PasswordResetAddress, &address);
    throttle.record(Kind::PasswordResetAccount, &account);
    // The lookup and the mail happen later, off this request's path: a task spawned here
    // would otherwise run next on this worker, before the answer is written, and an address
    // with an account (more work) would answer measurably later than one without.
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if let Err(error) = mail_reset_link(&state, &email).await {
            tracing::warn!(error = %error.message, "a reset link was not mailed");
        }
    });
    Ok(())
}

/// The reset link for the account that signs in with `email`, if there is one (a person).
#[cfg(feature = "ssr")]
async fn mail_reset_link(
    state: &crate::server::state::AppState,
    email: &crate::domain::Email,
) -> Result<(), AppError> {
    use super::links::{mail_link, LinkMail, Recipient};
    use crate::server::db::users;
    use crate::server::error::OrInternal;
    let user = users::find_by_email(&state.pool, email).await.or_internal("finding an account")?;
    let Some(user) = user.filter(|u| u.service_principal_of.is_none()) else { return Ok(()) };
    let key = email.key();
    let to = Recipient {
        user_id: user.id,
        name: &user.display_name,
        email: &user.email,
        email_key: &key,
    };
    let mut tx =
        crate::server::db::begin(&state.pool).await.or_internal("starting a transaction")?;
    mail_link(state, &mut tx, &to, LinkMail::Reset, None).await?;
    tx.commit().await.or_internal("storing a link")?;
    state.mail_queued.notify_one();
    tracing::info!(user_id = user.id, "password reset link mailed");
    Ok(())
}

/// Sets a new password with a reset link. Every session of the account ends and every access
/// token is revoked; the link also proves the address (it went only there), so an unconfirmed
/// account is confirmed by it.
#[server(endpoint = "auth/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::api::plain_form::back;
    let result = reset_with_link(&token, password).await;
    back::<ResetPassword, _>(&["reset-password", &token], result)
}

#[cfg(feature = "ssr")]
async fn reset_with_link(token: &str, password: String) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::Password;
    use crate::error::ErrorKind;
    use crate::server::db::account_links::{self, Purpose};
    use crate::server::db::{account_changes, addresses, sessions};
    use crate::server::secrets::token_hash;
    use crate::server::throttle::Kind;
    use crate::server::{audit, error::OrInternal, password as hashing, state::AppState};

    let password =
        Password::parse(&password).map_err(|e| AppError::invalid_field(fields::PASSWORD, e))?;
    let state = AppState::current()?;
    let address = audit::client_address().await;
    let throttle = &state.throttle;
    throttle
        .check(Kind::LinkGuessAddress, &address)
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    let gone = || {
        AppError::new(
            ErrorKind::NotFound,
            "This link no longer works. Ask for a new one from \"Forgot password\".",
        )
    };
    let link = account_links::by_token_hash(&state.pool, Purpose::Reset, &token_hash(token.trim()))
        .await
        .or_internal("finding a link")?;
    let Some(link) = link else {
        throttle.record(Kind::LinkGuessAddress, &address);
        return Err(gone());
    };
    if !link.is_live_at(state.clock.now()) {
        return Err(gone());
    }
    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(|e| hashing::refusal(e, "hashing a password"))?;
    let now = state.clock.now();
    if !account_changes::reset_password(&state.pool, &link, &hash, now)
        .await
        .or_internal("storing a password")?
    {
        return Err(gone());
    }
    sessions::end_all_for_user(&state.pool, link.user_id, None)
        .await
        .or_internal("ending sessions")?;
    // Only when the link went to the address the account still has, and no one holds it yet.
    if let Ok(confirmed) =
        addresses::confirm_current(&state.pool, link.user_id, Some(&link.email_key), now).await
    {
        super::end_sessions_of_released(&state, &confirmed.released).await?;
    }
    tracing::info!(user_id = link.user_id, "password reset");
    Ok(())
}
