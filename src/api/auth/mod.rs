//! Accounts and sign-in.

mod current_user;
mod sign_in;
mod sign_out;
mod sign_up;

pub use current_user::{current_user, CurrentUser as CurrentUserFn};
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
    /// Invitations addressed to this person, waiting for an answer (the header's badge).
    pub pending_invitations: usize,
}

/// Field names shared by the forms and the server functions' arguments.
pub mod fields {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const INVITATION: &str = "invitation";
    pub const NEXT: &str = "next";
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
