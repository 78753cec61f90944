use leptos::prelude::*;

use crate::error::AppError;

/// Creates an account and signs it in. The first account on an instance is its admin.
#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(
    display_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::{Email, Password, PersonName};
    use crate::error::ErrorKind;
    use crate::server::db::users::{self, CreateUserError};
    use crate::server::{auth, error::OrInternal, password as hashing, state::AppState};

    let name = PersonName::parse(&display_name)
        .map_err(|e| AppError::invalid_field(fields::DISPLAY_NAME, e))?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let password =
        Password::parse(&password).map_err(|e| AppError::invalid_field(fields::PASSWORD, e))?;
    let state = AppState::current()?;
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
    auth::start_session(user.id).await?;
    leptos_axum::redirect("/");
    Ok(())
}
