//! One's own account: name, address and password. A new address takes effect only once
//! confirmed with a link mailed to it; changing the address or the password needs the current
//! password.

mod change_email;
mod change_password;
mod settings;

pub use change_email::{change_email, ChangeEmail};
pub use change_password::{change_password, ChangePassword};
pub use settings::{account, rename_account, Account, RenameAccount};

use serde::{Deserialize, Serialize};

/// The Account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub email: String,
    pub email_confirmed: bool,
    /// A new address waiting to be confirmed.
    pub pending_email: Option<String>,
}

pub mod fields {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const EMAIL: &str = "email";
    pub const CURRENT_PASSWORD: &str = "current_password";
    pub const NEW_PASSWORD: &str = "new_password";
}

/// Checks the signed-in person's current password, slowed like sign-in guesses (the same
/// counters: guessing here is guessing there).
#[cfg(feature = "ssr")]
pub(crate) async fn check_current_password(
    state: &crate::server::state::AppState,
    user: &crate::server::db::users::UserRecord,
    candidate: String,
) -> Result<(), crate::error::AppError> {
    use crate::domain::{password::MAX_LEN, Invalid};
    use crate::error::AppError;
    use crate::server::throttle::Kind;
    use crate::server::{audit, password as hashing};
    let address = audit::client_address().await;
    let account = user.email.to_lowercase();
    let throttle = &state.throttle;
    throttle
        .check(Kind::SignInAccount, &account)
        .and(throttle.check(Kind::SignInAddress, &address))
        .map_err(|wait| AppError::too_many(wait.0, wait.message()))?;
    let candidate = if candidate.chars().count() > MAX_LEN { String::new() } else { candidate };
    let matched = state
        .passwords
        .verify(candidate, user.password_hash.as_str().into())
        .await
        .map_err(|e| hashing::refusal(e, "checking a password"))?;
    if matched {
        return Ok(());
    }
    throttle.record(Kind::SignInAccount, &account);
    throttle.record(Kind::SignInAddress, &address);
    Err(AppError::invalid_field(
        fields::CURRENT_PASSWORD,
        Invalid::new("That is not your current password."),
    ))
}
