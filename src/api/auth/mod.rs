//! Accounts and sign-in.

mod confirm_address;
mod current_user;
#[cfg(feature = "ssr")]
pub(crate) mod links;
mod password_reset;
mod sign_in;
mod sign_out;
mod sign_up;

pub use confirm_address::{confirm_address, resend_confirmation};
pub use confirm_address::{ConfirmAddress, ResendConfirmation};
pub use current_user::{current_user, CurrentUser as CurrentUserFn};
pub use password_reset::{forgot_password, reset_password, ForgotPassword, ResetPassword};
pub use sign_in::{sign_in, SignIn};
pub use sign_out::{sign_out, SignOut};
pub use sign_up::{sign_up, SignUp};

use serde::{Deserialize, Serialize};

/// The signed-in person, as the browser sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub is_instance_admin: bool,
    /// Invitations addressed to this person, waiting for an answer (the header's badge);
    /// none until the address is confirmed.
    pub pending_invitations: usize,
    /// Whether the address is proven theirs (a link mailed there, or the instance admin).
    pub email_confirmed: bool,
}

/// Field names shared by the forms and the server functions' arguments.
pub mod fields {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const INVITATION: &str = "invitation";
    pub const NEXT: &str = "next";
    pub const TOKEN: &str = "token";
}

/// Accounts that claimed an address someone else has now confirmed: they no longer answer to
/// it, and their sessions end.
#[cfg(feature = "ssr")]
pub(crate) async fn end_sessions_of_released(
    state: &crate::server::state::AppState,
    released: &[i64],
) -> Result<(), crate::error::AppError> {
    use crate::server::error::OrInternal;
    for user_id in released {
        crate::server::db::sessions::end_all_for_user(&state.pool, *user_id, None)
            .await
            .or_internal("ending a released account's sessions")?;
        tracing::info!(user_id, "address claim released");
    }
    Ok(())
}

/// `next` if it is a path on this site (not `//host` or `/\\host`, which browsers read as
/// another site), else the home page: so a link cannot send people elsewhere after sign-in.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/invite/abc")), "/invite/abc");
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "", "/a\nb"] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
