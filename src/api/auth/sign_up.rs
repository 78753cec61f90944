use leptos::prelude::*;

use crate::error::AppError;

/// Creates an account and signs it in. The first account on an instance is its admin. With
/// `invitation` (a link's token) the account must use the invited address, sign-up works even
/// when open sign-up is off, and the person returns to the invitation to accept it.
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
    let invitation = invitation.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if let Some(token) = &invitation {
        use crate::server::db::invitations;
        use crate::server::secrets::token_hash;
        let found = invitations::by_token_hash(&state.pool, &token_hash(token))
            .await
            .or_internal("finding an invitation")?
            .filter(|i| i.is_pending_at(state.clock.now()));
        match found {
            None => {
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    "This invitation link no longer works. Ask for a new invitation.",
                ))
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
    let hash = hashing::hash(&password).await.or_internal("hashing a password")?;
    let user = match users::create(&state.pool, &email, &name, &hash).await {
        Ok(user) => user,
        Err(CreateUserError::EmailTaken) => {
            return Err(AppError {
                kind: ErrorKind::Conflict,
                message: "An account with this email already exists. Sign in instead.".into(),
                field: Some(fields::EMAIL.into()),
            })
        }
        Err(CreateUserError::Database(e)) => return Err(e).or_internal("creating an account"),
    };
    tracing::info!(user_id = user.id, admin = user.is_instance_admin, "account created");
    if invitation.is_some() {
        // They opened a link sent to this address: it is theirs.
        let mut conn = state.pool.acquire().await.or_internal("opening a connection")?;
        crate::server::db::users::mark_email_verified(&mut conn, user.id, state.clock.now())
            .await
            .or_internal("recording a verified address")?;
    }
    auth::start_session(user.id).await?;
    match &invitation {
        Some(token) => leptos_axum::redirect(&format!("/invite/{token}")),
        None => leptos_axum::redirect("/"),
    }
    Ok(())
}
