mod home;
mod not_found;
mod sign_in;
mod sign_up;
mod signed_in_notice;

pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
