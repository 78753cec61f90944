use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

use super::clock::Clock;
use super::config::Settings;
use super::db::Pool;
use super::error::internal;
use super::secrets::Sealer;
use crate::error::AppError;

/// What every request handler and server function may reach: one per process.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// Hashes and checks passwords, a few at a time.
    pub passwords: super::password::Passwords,
    /// See [`super::password::Passwords::dummy_hash`].
    pub dummy_password_hash: Arc<str>,
    pub clock: Clock,
    /// Encrypts what is stored but must be read back (mail in the outbox).
    pub sealer: Sealer,
    /// Wakes the mail worker when a message is queued.
    pub mail_queued: Arc<tokio::sync::Notify>,
    /// Counts guesses and floods (see [`super::throttle`]).
    pub throttle: Arc<super::throttle::Throttle>,
    /// How this instance gets its administrator (see [`super::admin_setup`]).
    pub admin_setup: super::admin_setup::AdminSetup,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Whether the first account to sign up becomes the administrator.
    pub fn first_account_claim(&self) -> super::db::users::AdminClaim {
        self.admin_setup.first_account_claim()
    }

    /// The state, inside a server function or a rendered route.
    pub fn current() -> Result<Self, AppError> {
        leptos::prelude::use_context::<Self>()
            .ok_or_else(|| internal("reading the application state", "not in context"))
    }
}
