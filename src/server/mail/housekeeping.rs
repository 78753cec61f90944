//! Hourly: pending invitations past their expiry become expired; closed invitations older than
//! the retention window go; owners are reminded before time-boxed access ends.

use std::time::Duration;

use crate::server::db::{invitations, role_assignments};
use crate::server::state::AppState;

/// How long before time-boxed access ends its giver is reminded.
const REMINDER_NOTICE_SECONDS: i64 = 3 * 86_400;

/// How long closed invitations stay visible in the database (the activity log keeps the story).
const RETENTION_DAYS: i64 = 30;

pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(error) = tidy(&state).await {
            tracing::warn!(%error, "invitation housekeeping failed");
        }
    }
}

pub async fn tidy(state: &AppState) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let expired = invitations::expire_all_lapsed(&state.pool, now).await?;
    let deleted =
        invitations::delete_closed_before(&state.pool, now - RETENTION_DAYS * 86_400).await?;
    let (reminded, ended) =
        role_assignments::tend_time_boxed(&state.pool, &state.sealer, now, REMINDER_NOTICE_SECONDS)
            .await?;
    if reminded > 0 {
        state.mail_queued.notify_one();
    }
    if expired + deleted as usize + reminded + ended > 0 {
        tracing::info!(expired, deleted, reminded, ended, "invitation housekeeping");
    }
    Ok(())
}
