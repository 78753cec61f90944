use leptos::prelude::*;

use super::AccountView;
use crate::error::AppError;

/// The signed-in person's account as the Account page shows it.
#[server(endpoint = "account/get")]
pub async fn account() -> Result<AccountView, AppError> {
    use crate::server::db::account_links;
    use crate::server::{auth, error::OrInternal};
    let (state, user) = auth::caller().await?;
    let email_confirmed = user.email_confirmed;
    let pending_email = account_links::pending_address(&state.pool, user.id, state.clock.now())
        .await
        .or_internal("reading an account")?
        .filter(|pending| pending.to_lowercase() != user.email.to_lowercase());
    Ok(AccountView {
        display_name: user.display_name,
        email: user.email,
        email_confirmed,
        pending_email,
    })
}

/// Changes the name others see.
#[server(endpoint = "account/rename")]
pub async fn rename_account(display_name: String) -> Result<(), AppError> {
    rename(display_name).await
}

#[cfg(feature = "ssr")]
async fn rename(display_name: String) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::PersonName;
    use crate::server::db::account_changes;
    use crate::server::{auth, error::OrInternal};
    let name = PersonName::parse(&display_name)
        .map_err(|e| AppError::invalid_field(fields::DISPLAY_NAME, e))?;
    let (state, user) = auth::caller().await?;
    account_changes::rename(&state.pool, user.id, &name)
        .await
        .or_internal("renaming an account")?;
    Ok(())
}
