use leptos::prelude::*;

use crate::error::AppError;

/// Signs in with email and password. An unknown email and a wrong password get the same answer
/// after the same work, so neither the message nor the timing tells whether an account exists.
///
/// `next` is where to go afterwards: a path on this site (an invitation link), else home.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::{password::MAX_LEN, Email};
    use crate::error::ErrorKind;
    use crate::server::db::users;
    use crate::server::throttle::{signed_in_from, Kind};
    use crate::server::{audit, auth, error::OrInternal, password as hashing, state::AppState};

    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    if password.is_empty() {
        return Err(AppError::invalid_field(
            fields::PASSWORD,
            crate::domain::Invalid::new("Enter your password."),
        ));
    }
    let state = AppState::current()?;
    // Guessing is slowed per account and per address before any hashing is paid for; the same
    // for known and unknown addresses. The account's count does not slow an address it signed
    // in from before: the owner gets in while others guess.
    let address = audit::client_address().await;
    let account = email.key();
    let here = signed_in_from(&account, &address);
    let throttle = &state.throttle;
    let account_check = if throttle.seen(Kind::SignedInFrom, &here) {
        Ok(())
    } else {
        throttle.check(Kind::SignInAccount, &account)
    };
    account_check
        .and(throttle.check(Kind::SignInAddress, &address))
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    // Service principals never sign in: they are treated as unknown addresses, after the same
    // work, rather than checked against a hash that matches nothing.
    let user = users::find_by_email(&state.pool, &email)
        .await
        .or_internal("finding an account")?
        .filter(|user| user.service_principal_of.is_none());
    let stored_hash = match &user {
        Some(user) => user.password_hash.as_str().into(),
        None => state.dummy_password_hash.clone(),
    };
    // Over-long input cannot match any stored password; it still costs one verification.
    let candidate = if password.chars().count() > MAX_LEN { String::new() } else { password };
    let matched = state
        .passwords
        .verify(candidate, stored_hash)
        .await
        .map_err(|e| hashing::refusal(e, "checking a password"))?;
    match user {
        Some(user) if matched => {
            // A success clears the count for this address only (it is the owner's from now
            // on); the account's count of failures stays as it is, lapsing after a quiet hour:
            // were it reset, whoever is guessing elsewhere would see this email's count start
            // over, unlike an unknown email's, and learn that an account has it.
            throttle.record(Kind::SignedInFrom, &here);
            auth::start_session(user.id).await?;
            tracing::info!(user_id = user.id, "signed in");
            leptos_axum::redirect(&super::local_path(next.as_deref()));
            Ok(())
        }
        _ => {
            throttle.record(Kind::SignInAccount, &account);
            throttle.record(Kind::SignInAddress, &address);
            Err(AppError::new(
                ErrorKind::Unauthenticated,
                "That email and password do not match an account.",
            ))
        }
    }
}
