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
}

/// Field names shared by the forms and the server functions' arguments.
pub mod fields {
    pub const DISPLAY_NAME: &str = "display_name";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
}
