//! People's roles in organizations, kept between requests. Each entry remembers the
//! organization's access generation it was read at (a number the database raises, by trigger,
//! with every change to the organization's assignments or role definitions); a request that
//! finds another generation with its scope reads the roles again. So a revocation made through
//! any server process sharing the database counts on the very next request of every process,
//! without messages between them, and a request whose scope lookup already carries the
//! generation spends no query at all on roles.
//!
//! Time-boxed assignments are kept with their end and dropped at each use, so an assignment
//! that ends while cached ends on time.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::OrganizationRoles;
use crate::server::db::{now, Pool};

/// Entries kept before the cache starts over (a few hundred bytes each).
const MOST_ENTRIES: usize = 20_000;

/// (database, person, organization) → (generation, roles). Keyed by the database too: one
/// process may serve several (the integration tests start a server per test).
type Entries = HashMap<(String, i64, i64), (i64, OrganizationRoles)>;

fn entries() -> std::sync::MutexGuard<'static, Entries> {
    static ENTRIES: OnceLock<Mutex<Entries>> = OnceLock::new();
    let entries = ENTRIES.get_or_init(Mutex::default);
    // Entries are inserted whole: a panic elsewhere cannot leave one half made.
    entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn key(pool: &Pool, user_id: i64, organization_id: i64) -> (String, i64, i64) {
    (pool.connect_options().database_url.as_str().to_owned(), user_id, organization_id)
}

/// The roles kept for this person and organization at `generation`, still in force now.
pub fn get(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
    generation: i64,
) -> Option<OrganizationRoles> {
    let entries = entries();
    let (kept_at, (assignments, custom)) = entries.get(&key(pool, user_id, organization_id))?;
    if *kept_at != generation {
        return None;
    }
    let now = now();
    let assignments =
        assignments.iter().filter(|a| a.expires_at.is_none_or(|end| end > now)).cloned().collect();
    Some((assignments, custom.clone()))
}

/// Keeps `roles`, read at `generation` (or later: a change made between reading the
/// generation and the roles only makes the next request read them again).
pub fn keep(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
    generation: i64,
    roles: &OrganizationRoles,
) {
    let mut entries = entries();
    if entries.len() >= MOST_ENTRIES {
        entries.clear();
    }
    entries.insert(key(pool, user_id, organization_id), (generation, roles.clone()));
}
