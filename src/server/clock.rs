//! The time, as the server sees it. Tests move it forward to see invitations expire.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        super::db::now() + self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Moves this server's time forward (tests only use it; nothing in the app does).
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}
