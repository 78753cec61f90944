use leptos::prelude::*;

use crate::error::AppError;

/// Creates an account, signs it in and mails a link to confirm its address; until then it
/// only claims the address. The first account on an instance is its admin. With `invitation`
/// (a link's token) the account must use the invited address, sign-up works even when open
/// sign-up is off, and the person returns to the invitation to accept it. The answer is the
/// same whether or not the address already has an account.
#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(
    display_name: String,
    email: String,
    password: String,
    #[server(default)] invitation: Option<String>,
) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::{Email, Password, PersonName};
    use crate::error::ErrorKind;
    use crate::server::db::users::{self, CreateUserError};
    use crate::server::throttle::{Kind, RetryAfter};
    use crate::server::{auth, error::OrInternal, password as hashing, state::AppState};

    let name = PersonName::parse(&display_name)
        .map_err(|e| AppError::invalid_field(fields::DISPLAY_NAME, e))?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    if crate::domain::service_principal::is_identity(email.as_str()) {
        return Err(AppError::invalid_field(
            fields::EMAIL,
            crate::domain::Invalid::new(
                "Addresses ending in service-principals.invalid name service principals, not people.",
            ),
        ));
    }
    let password =
        Password::parse(&password).map_err(|e| AppError::invalid_field(fields::PASSWORD, e))?;
    let state = AppState::current()?;
    let address = crate::server::audit::client_address().await;
    let too_many = |wait: RetryAfter| AppError::too_many(wait.0, wait.message());
    state.throttle.attempt(Kind::SignUpAddress, &address).map_err(too_many)?;
    let invitation = invitation.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if let Some(token) = &invitation {
        state.throttle.check(Kind::LinkGuessAddress, &address).map_err(too_many)?;
        use crate::server::db::invitations;
        use crate::server::secrets::token_hash;
        let found = invitations::by_token_hash(&state.pool, &token_hash(token))
            .await
            .or_internal("finding an invitation")?
            .filter(|i| i.is_pending_at(state.clock.now()));
        match found {
            None => {
                state.throttle.record(Kind::LinkGuessAddress, &address);
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    "This invitation link no longer works. Ask for a new invitation.",
                ));
            }
            Some(found) if found.email != email.key() => {
                return Err(AppError::invalid_field(
                    fields::EMAIL,
                    crate::domain::Invalid::new(
                        "Sign up with the address the invitation was sent to.",
                    ),
                ))
            }
            Some(_) => {}
        }
    } else {
        let settings = crate::server::db::instance::settings(&state.pool)
            .await
            .or_internal("reading instance settings")?;
        if !settings.open_sign_up {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "Sign-up on this instance is by invitation only. Use the link in your invitation.",
            ));
        }
    }
    // Every sign-up makes an account and mails its address, after the same work, whether or not
    // an account already holds the address: the answer tells no one which addresses have
    // accounts. An address held by a confirmed account gets a notice instead of a link, and
    // the new account can never confirm it; one only claimed by unconfirmed accounts goes to
    // whoever confirms it first (see `server::db::addresses`).
    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(|e| hashing::refusal(e, "hashing a password"))?;
    let user =
        match users::create_account(&state.pool, &email, &name, &hash, state.first_account_claim())
            .await
        {
            Ok(user) => user,
            Err(CreateUserError::EmailTaken) => {
                return Err(AppError::new(ErrorKind::Invalid, "This address cannot be used."))
            }
            Err(CreateUserError::Database(e)) => return Err(e).or_internal("creating an account"),
        };
    tracing::info!(user_id = user.id, admin = user.is_instance_admin, "account created");
    let key = email.key();
    let to = super::links::Recipient {
        user_id: user.id,
        name: name.as_str(),
        email: email.as_str(),
        email_key: &key,
    };
    super::links::send_confirmation(&state, &to, super::links::LinkMail::ConfirmSignUp).await?;
    auth::start_session(user.id).await?;
    match &invitation {
        Some(token) => leptos_axum::redirect(&format!("/invite/{token}")),
        None => leptos_axum::redirect("/"),
    }
    Ok(())
}
