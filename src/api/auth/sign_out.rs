use leptos::prelude::*;

use crate::error::AppError;

/// Ends the session on the server, then returns to the home page.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::server::auth::end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}
