use leptos::prelude::*;

use crate::error::AppError;

/// Asks to use another address. Needs the current password; a confirmation link goes to the
/// new address and a notice to the old one. Nothing changes until the link is used. The
/// answer is the same whether or not the new address has an account (whose owner is told
/// instead of sent a link).
#[server(endpoint = "account/change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    ask_for_address(email, current_password).await
}

#[cfg(feature = "ssr")]
async fn ask_for_address(email: String, current_password: String) -> Result<(), AppError> {
    use super::fields;
    use crate::api::auth::links::{mail_notice, send_confirmation, LinkMail, Recipient};
    use crate::domain::{Email, Invalid};
    use crate::server::mail::account_mail;
    use crate::server::throttle::Kind;
    use crate::server::{audit, auth, error::OrInternal};

    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    if crate::domain::service_principal::is_identity(email.as_str()) {
        return Err(AppError::invalid_field(
            fields::EMAIL,
            Invalid::new("Addresses ending in service-principals.invalid name service principals."),
        ));
    }
    let (state, user) = auth::caller().await?;
    if email.key() == user.email.to_lowercase() {
        return Err(AppError::invalid_field(
            fields::EMAIL,
            Invalid::new("That is your address already."),
        ));
    }
    super::check_current_password(&state, &user, current_password).await?;
    // Each request mails two messages: counted like sign-ups, so it cannot become a relay.
    let address = audit::client_address().await;
    state
        .throttle
        .attempt(Kind::SignUpAddress, &address)
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    let key = email.key();
    let to = Recipient {
        user_id: user.id,
        name: &user.display_name,
        email: email.as_str(),
        email_key: &key,
    };
    send_confirmation(&state, &to, LinkMail::ConfirmNewAddress).await?;
    let mut tx =
        crate::server::db::begin(&state.pool).await.or_internal("starting a transaction")?;
    let notice = account_mail::address_changing(&user.display_name, email.as_str());
    mail_notice(&state, &mut tx, &user.email, notice).await?;
    tx.commit().await.or_internal("queueing an email")?;
    state.mail_queued.notify_one();
    tracing::info!(user_id = user.id, "address change requested");
    Ok(())
}
