use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A person's account as the instance admin's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountListing {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_instance_admin: bool,
    pub disabled: bool,
    pub created_at: i64,
    /// The admin's own account, which they cannot disable.
    pub is_me: bool,
}

/// The instance's people, searched by name or address (at most 100 shown).
#[server(endpoint = "instance/accounts")]
pub async fn instance_accounts(
    #[server(default)] search: Option<String>,
) -> Result<Vec<AccountListing>, AppError> {
    use crate::server::db::account_status;
    use crate::server::{auth, error::OrInternal};

    let (state, admin) = auth::caller_instance_admin().await?;
    let search = search.filter(|s| !s.trim().is_empty());
    let found = account_status::people(&state.pool, search.as_deref(), 100)
        .await
        .or_internal("listing accounts")?;
    Ok(found
        .into_iter()
        .map(|a| AccountListing {
            is_me: a.id == admin.id,
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            is_instance_admin: a.is_instance_admin,
            disabled: a.disabled_at.is_some(),
            created_at: a.created_at,
        })
        .collect())
}

/// Disables (`disabled` = "true") or enables an account. Disabling ends its sessions and
/// revokes its tokens at once; it is refused everywhere until enabled again.
#[server(endpoint = "instance/set_account_disabled")]
pub async fn set_account_disabled(account: i64, disabled: String) -> Result<(), AppError> {
    use crate::error::ErrorKind;
    use crate::server::db::account_status;
    use crate::server::{auth, error::OrInternal};

    let (state, admin) = auth::caller_instance_admin().await?;
    if account == admin.id {
        return Err(AppError::new(ErrorKind::Invalid, "You cannot disable your own account."));
    }
    let changed = if disabled == "true" {
        account_status::disable(&state.pool, account, state.clock.now())
            .await
            .or_internal("disabling an account")?
    } else {
        account_status::enable(&state.pool, account).await.or_internal("enabling an account")?
    };
    if !changed {
        return Err(AppError::not_found());
    }
    tracing::info!(admin_id = admin.id, account, disabled = %disabled, "account status changed");
    Ok(())
}
