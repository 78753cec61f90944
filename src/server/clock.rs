//! The time, as the server sees it. Tests move it forward to see invitations expire, and stop
//! it where a slow machine must not let a wait lapse between two steps (throttling).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
    /// The time it was stopped at; 0 while it runs.
    stopped_at: Arc<AtomicI64>,
}

impl Clock {
    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        let base = match self.stopped_at.load(Ordering::Relaxed) {
            0 => super::db::now(),
            stopped => stopped,
        };
        base + self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Stops this server's time where it is; [`advance`](Self::advance) still moves it (tests
    /// only use it; nothing in the app does).
    pub fn stop(&self) {
        let _ = self.stopped_at.compare_exchange(
            0,
            super::db::now(),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    /// Moves this server's time forward (tests only use it; nothing in the app does).
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}
