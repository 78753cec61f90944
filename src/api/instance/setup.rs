use leptos::prelude::*;

use crate::error::AppError;

/// Makes the signed-in person this instance's administrator with the setup link's token
/// (printed in the log at start, or `ATELIER_ADMIN_SETUP_TOKEN`), while no one is.
#[server(endpoint = "instance/claim_admin")]
pub async fn claim_admin(token: String) -> Result<(), AppError> {
    use crate::error::ErrorKind;
    use crate::server::throttle::Kind;
    use crate::server::{admin_setup, audit, auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let address = audit::client_address().await;
    let guesses = Kind::LinkGuessAddress;
    state.throttle.check(guesses, &address).map_err(|w| AppError::too_many(w.0, w.message()))?;
    if !state.admin_setup.accepts(&token) {
        state.throttle.record(guesses, &address);
        return Err(AppError::new(ErrorKind::NotFound, "This setup link does not work."));
    }
    if user.service_principal_of.is_some() {
        return Err(AppError::not_found());
    }
    let claimed =
        admin_setup::claim(&state.pool, user.id).await.or_internal("claiming the admin role")?;
    if !claimed {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "This instance already has an administrator.",
        ));
    }
    tracing::warn!(user_id = user.id, "became the instance administrator by the setup link");
    leptos_axum::redirect("/admin");
    Ok(())
}
