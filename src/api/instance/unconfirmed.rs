//! Accounts whose address is not confirmed yet, for the instance admin: on an instance without
//! a mail server, the admin confirms them (having read the link in the outbox, or knowing the
//! person).

use leptos::prelude::*;

use super::UnconfirmedAccount;
use crate::error::AppError;

#[server(endpoint = "instance/unconfirmed")]
pub async fn unconfirmed_accounts() -> Result<Vec<UnconfirmedAccount>, AppError> {
    use crate::server::db::addresses;
    use crate::server::{auth, error::OrInternal};
    let (state, _admin) = auth::caller_instance_admin().await?;
    let found = addresses::unconfirmed(&state.pool, 200).await.or_internal("listing accounts")?;
    Ok(found
        .into_iter()
        .map(|a| UnconfirmedAccount {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            created_at: a.created_at,
        })
        .collect())
}

/// Confirms an account's address; other accounts that only claimed it are released.
#[server(endpoint = "instance/confirm_account")]
pub async fn confirm_account(user: i64) -> Result<(), AppError> {
    use crate::error::ErrorKind;
    use crate::server::db::addresses::{self, ConfirmError};
    use crate::server::{auth, error::OrInternal};
    let (state, admin) = auth::caller_instance_admin().await?;
    let confirmed = match addresses::confirm_current(&state.pool, user, None, state.clock.now())
        .await
    {
        Ok(confirmed) => confirmed,
        Err(ConfirmError::LinkGone) => {
            return Err(AppError::new(ErrorKind::NotFound, "This account has nothing to confirm."))
        }
        Err(ConfirmError::HeldByAnother) => {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "Another account has confirmed this address already.",
            ))
        }
        Err(ConfirmError::Database(e)) => return Err(e).or_internal("confirming an address"),
    };
    crate::api::auth::end_sessions_of_released(&state, &confirmed.released).await?;
    tracing::info!(user_id = user, admin_id = admin.id, "address confirmed by the instance admin");
    Ok(())
}
