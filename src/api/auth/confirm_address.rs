//! Confirming an address with the link Atelier mailed there, and asking for a new link.

use leptos::prelude::*;

use crate::error::AppError;

/// Uses a confirmation link (a POST: opening the link changes nothing). The account it was
/// mailed for now holds the address; other accounts that only claimed it are released and
/// signed out. Works without signing in: the link is the proof.
#[server(endpoint = "auth/confirm_address")]
pub async fn confirm_address(token: String) -> Result<(), AppError> {
    use crate::api::plain_form::back;
    let result = confirm_with_link(&token).await;
    back::<ConfirmAddress, _>(&["confirm", &token], result)
}

#[cfg(feature = "ssr")]
async fn confirm_with_link(token: &str) -> Result<(), AppError> {
    use crate::error::ErrorKind;
    use crate::server::db::account_links::{self, Purpose};
    use crate::server::db::addresses::{self, ConfirmError};
    use crate::server::secrets::token_hash;
    use crate::server::throttle::Kind;
    use crate::server::{audit, error::OrInternal, state::AppState};

    let state = AppState::current()?;
    let address = audit::client_address().await;
    let throttle = &state.throttle;
    throttle
        .check(Kind::LinkGuessAddress, &address)
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    let gone = || {
        AppError::new(
            ErrorKind::NotFound,
            "This confirmation link no longer works. Sign in and ask for a new one.",
        )
    };
    let now = state.clock.now();
    let link =
        account_links::by_token_hash(&state.pool, Purpose::Confirm, &token_hash(token.trim()))
            .await
            .or_internal("finding a link")?;
    let Some(link) = link else {
        throttle.record(Kind::LinkGuessAddress, &address);
        return Err(gone());
    };
    if !link.is_live_at(now) {
        return Err(gone());
    }
    let confirmed = match addresses::confirm_by_link(&state.pool, &link, now).await {
        Ok(confirmed) => confirmed,
        Err(ConfirmError::LinkGone) => return Err(gone()),
        Err(ConfirmError::HeldByAnother) => {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "Another account confirmed this address first. Sign in to it, or choose \
                 another address on your Account page.",
            ))
        }
        Err(ConfirmError::Database(e)) => return Err(e).or_internal("confirming an address"),
    };
    super::end_sessions_of_released(&state, &confirmed.released).await?;
    tracing::info!(
        user_id = confirmed.user_id,
        released = confirmed.released.len(),
        "address confirmed"
    );
    Ok(())
}

/// Mails the signed-in person a new confirmation link (the earlier one stops working). The
/// answer is the same whether or not a link went out.
#[server(endpoint = "auth/resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    resend().await
}

#[cfg(feature = "ssr")]
async fn resend() -> Result<(), AppError> {
    use super::links::{send_confirmation, LinkMail, Recipient};
    use crate::server::db::users;
    use crate::server::throttle::Kind;
    use crate::server::{audit, auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    // Each link is a message sent for a visitor: counted like sign-ups, so no one turns the
    // instance's mail server into a relay.
    let address = audit::client_address().await;
    state
        .throttle
        .attempt(Kind::SignUpAddress, &address)
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    if users::email_verified(&state.pool, user.id).await.or_internal("reading an account")? {
        return Ok(());
    }
    let key = user.email.to_lowercase();
    let to = Recipient {
        user_id: user.id,
        name: &user.display_name,
        email: &user.email,
        email_key: &key,
    };
    send_confirmation(&state, &to, LinkMail::ConfirmSignUp).await
}
