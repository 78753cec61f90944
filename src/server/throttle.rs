//! Throttling of what an attacker would repeat: guessing passwords, invitation links and
//! tokens, signing up and sending invitations. Counters live in memory per process, keyed by
//! what is being protected (an account, a client address, an organization).
//!
//! Guesses are slowed, never locked out for good: after a few free failures each further try
//! must wait twice as long as the last, up to a ceiling, and the count lapses after a quiet
//! window. Someone trying to lock a victim out has to keep failing, and the victim waits at
//! most the ceiling. A refused try costs nothing (no password hash is computed for it).

use std::collections::HashMap;
use std::sync::Mutex;

use super::clock::Clock;

/// What is counted.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Kind {
    /// Failed sign-ins to one account (by email, whether or not an account has it), from
    /// anywhere. Nothing else changes the count, a success included: what the owner does must
    /// not show in how an attacker is answered. Addresses the account signed in from
    /// ([`Kind::SignedInFrom`]) are not slowed by it.
    SignInAccount,
    /// A successful sign-in to an account from a client address (key: [`signed_in_from`]). The
    /// owner's own addresses are then exempt from the account's count of failures, so guessing
    /// from elsewhere never slows them, while the guesser, elsewhere, sees nothing change (a
    /// reset of the account's count would tell them the account exists). Lapses after 30 days.
    SignedInFrom,
    /// Failed sign-ins from one client address, to any account.
    SignInAddress,
    /// Sign-ups from one client address.
    SignUpAddress,
    /// Password-reset requests from one client address.
    PasswordResetAddress,
    /// Password-reset requests for one account (by email).
    PasswordResetAccount,
    /// Invitation or confirmation links that named nothing, from one client address.
    LinkGuessAddress,
    /// Access tokens that were not valid, from one client address.
    TokenGuessAddress,
    /// Invitations sent by one organization.
    InvitationsSent,
}

/// The key of a [`Kind::SignedInFrom`] mark: an account (lower-cased email) and an address.
pub fn signed_in_from(account: &str, address: &str) -> String {
    format!("{account}\n{address}")
}

/// How a kind is counted.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// `free` failures, then each try waits twice the last wait (from one second), at most
    /// `ceiling` seconds; the count lapses after `quiet` seconds without a failure.
    Backoff { free: u32, ceiling: i64, quiet: i64 },
    /// At most `limit` tries in `window` seconds from the first.
    Rate { limit: u32, window: i64 },
}

fn rule(kind: Kind) -> Rule {
    match kind {
        // An address guessing is slowed before the account it guesses: the account's owner,
        // elsewhere, still signs in while one address hammers it.
        Kind::SignInAddress => Rule::Backoff { free: 10, ceiling: 300, quiet: 3600 },
        Kind::SignInAccount => Rule::Backoff { free: 20, ceiling: 300, quiet: 3600 },
        // Never refuses: only whether it is there counts.
        Kind::SignedInFrom => Rule::Backoff { free: u32::MAX, ceiling: 0, quiet: 30 * 86_400 },
        Kind::LinkGuessAddress => Rule::Backoff { free: 10, ceiling: 300, quiet: 3600 },
        Kind::TokenGuessAddress => Rule::Backoff { free: 20, ceiling: 60, quiet: 3600 },
        Kind::SignUpAddress => Rule::Rate { limit: 20, window: 3600 },
        Kind::PasswordResetAddress => Rule::Rate { limit: 10, window: 3600 },
        Kind::PasswordResetAccount => Rule::Rate { limit: 3, window: 3600 },
        Kind::InvitationsSent => Rule::Rate { limit: 100, window: 3600 },
    }
}

/// Counters kept before the oldest are dropped: a flood of made-up keys costs bounded memory.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Count {
    tries: u32,
    first_at: i64,
    last_at: i64,
}

/// Refused: try again after this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl RetryAfter {
    /// What the person is told.
    pub fn message(self) -> String {
        let seconds = self.0;
        let wait = if seconds < 90 {
            format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
        } else {
            format!("{} minutes", seconds.div_ceil(60))
        };
        format!("Too many attempts. Try again in {wait}.")
    }
}

#[derive(Debug, Default)]
pub struct Throttle {
    counts: Mutex<HashMap<(Kind, String), Count>>,
    clock: Clock,
}

impl Throttle {
    pub fn new(clock: Clock) -> Self {
        Self { counts: Mutex::default(), clock }
    }

    /// Whether a try of `kind` for `key` may go ahead now (nothing is counted).
    pub fn check(&self, kind: Kind, key: &str) -> Result<(), RetryAfter> {
        let now = self.clock.now();
        let counts = self.lock();
        let Some(count) = counts.get(&(kind, key.to_owned())) else {
            return Ok(());
        };
        match wait(rule(kind), count, now) {
            0 => Ok(()),
            seconds => Err(RetryAfter(seconds as u64)),
        }
    }

    /// Counts a failure (a `Backoff` kind) or a try (a `Rate` kind).
    pub fn record(&self, kind: Kind, key: &str) {
        let now = self.clock.now();
        let mut counts = self.lock();
        if counts.len() >= MAX_ENTRIES {
            prune(&mut counts, now);
        }
        let count = counts.entry((kind, key.to_owned())).or_insert(Count {
            tries: 0,
            first_at: now,
            last_at: now,
        });
        if lapsed(rule(kind), count, now) {
            *count = Count { tries: 0, first_at: now, last_at: now };
        }
        count.tries = count.tries.saturating_add(1);
        count.last_at = now;
    }

    /// Whether `key` has a count of `kind` that has not lapsed (a [`Kind::SignedInFrom`] mark).
    pub fn seen(&self, kind: Kind, key: &str) -> bool {
        let now = self.clock.now();
        self.lock()
            .get(&(kind, key.to_owned()))
            .is_some_and(|count| !lapsed(rule(kind), count, now))
    }

    /// A try that counts whether or not it succeeds: checks, then records.
    pub fn attempt(&self, kind: Kind, key: &str) -> Result<(), RetryAfter> {
        self.check(kind, key)?;
        self.record(kind, key);
        Ok(())
    }

    /// `n` tries of a `Rate` kind at once (a batch of invitations): all go ahead, or none is
    /// counted.
    pub fn attempt_many(&self, kind: Kind, key: &str, n: u32) -> Result<(), RetryAfter> {
        let now = self.clock.now();
        let Rule::Rate { limit, window } = rule(kind) else {
            return self.attempt(kind, key);
        };
        if n > limit {
            return Err(RetryAfter(window as u64));
        }
        let mut counts = self.lock();
        let count = counts.entry((kind, key.to_owned())).or_insert(Count {
            tries: 0,
            first_at: now,
            last_at: now,
        });
        if lapsed(rule(kind), count, now) {
            *count = Count { tries: 0, first_at: now, last_at: now };
        }
        if count.tries + n > limit {
            return Err(RetryAfter((count.first_at + window - now).max(1) as u64));
        }
        count.tries += n;
        count.last_at = now;
        Ok(())
    }

    /// Forgets `key`'s count (tests clear what they did not mean as guesses). Sign-in does
    /// not: see [`Kind::SignInAccount`].
    pub fn clear(&self, kind: Kind, key: &str) {
        self.lock().remove(&(kind, key.to_owned()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Kind, String), Count>> {
        // A panic while holding the lock leaves counts that are still counts.
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Seconds until the next try of a kind counted as `count` may go ahead (0: now).
fn wait(rule: Rule, count: &Count, now: i64) -> i64 {
    if lapsed(rule, count, now) {
        return 0;
    }
    match rule {
        Rule::Backoff { free, ceiling, .. } => {
            if count.tries < free {
                return 0;
            }
            let doublings = (count.tries - free).min(30);
            let delay = (1i64 << doublings).min(ceiling);
            (count.last_at + delay - now).max(0)
        }
        Rule::Rate { limit, window } => {
            if count.tries < limit {
                0
            } else {
                (count.first_at + window - now).max(0)
            }
        }
    }
}

fn lapsed(rule: Rule, count: &Count, now: i64) -> bool {
    match rule {
        Rule::Backoff { quiet, .. } => now - count.last_at >= quiet,
        Rule::Rate { window, .. } => now - count.first_at >= window,
    }
}

/// Drops lapsed counts, then, if a flood left too many, the least recent half.
fn prune(counts: &mut HashMap<(Kind, String), Count>, now: i64) {
    counts.retain(|(kind, _), count| !lapsed(rule(*kind), count, now));
    if counts.len() >= MAX_ENTRIES {
        let mut times: Vec<i64> = counts.values().map(|c| c.last_at).collect();
        times.sort_unstable();
        let median = times[times.len() / 2];
        counts.retain(|_, count| count.last_at > median);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_free_then_waits_double_up_to_the_ceiling_and_lapse() {
        let clock = Clock::default();
        let throttle = Throttle::new(clock.clone());
        for _ in 0..20 {
            assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Ok(()));
            throttle.record(Kind::SignInAccount, "ada");
        }
        assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Err(RetryAfter(1)));
        assert_eq!(throttle.check(Kind::SignInAccount, "bob"), Ok(()));
        clock.advance(1);
        throttle.record(Kind::SignInAccount, "ada");
        assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Err(RetryAfter(2)));
        for _ in 0..20 {
            throttle.record(Kind::SignInAccount, "ada");
        }
        assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Err(RetryAfter(300)));
        clock.advance(300);
        assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Ok(()));
        clock.advance(3600);
        throttle.record(Kind::SignInAccount, "ada");
        assert_eq!(throttle.check(Kind::SignInAccount, "ada"), Ok(()), "the count lapsed");
        throttle.clear(Kind::SignInAccount, "ada");
    }

    #[test]
    fn rates_refuse_until_their_window_ends() {
        let clock = Clock::default();
        let throttle = Throttle::new(clock.clone());
        for _ in 0..20 {
            assert_eq!(throttle.attempt(Kind::SignUpAddress, "10.0.0.1"), Ok(()));
        }
        assert_eq!(throttle.attempt(Kind::SignUpAddress, "10.0.0.1"), Err(RetryAfter(3600)));
        clock.advance(3000);
        assert_eq!(throttle.attempt(Kind::SignUpAddress, "10.0.0.1"), Err(RetryAfter(600)));
        clock.advance(600);
        assert_eq!(throttle.attempt(Kind::SignUpAddress, "10.0.0.1"), Ok(()));
    }

    #[test]
    fn a_batch_goes_ahead_whole_or_not_at_all() {
        let throttle = Throttle::new(Clock::default());
        assert_eq!(throttle.attempt_many(Kind::InvitationsSent, "7", 60), Ok(()));
        assert_eq!(throttle.attempt_many(Kind::InvitationsSent, "7", 50), Err(RetryAfter(3600)));
        assert_eq!(throttle.attempt_many(Kind::InvitationsSent, "7", 40), Ok(()));
        assert_eq!(throttle.attempt_many(Kind::InvitationsSent, "8", 100), Ok(()));
        assert!(throttle.attempt_many(Kind::InvitationsSent, "9", 101).is_err());
    }

    #[test]
    fn a_flood_of_keys_keeps_memory_bounded() {
        let throttle = Throttle::new(Clock::default());
        for i in 0..(MAX_ENTRIES + 10) {
            throttle.record(Kind::TokenGuessAddress, &i.to_string());
        }
        assert!(throttle.lock().len() <= MAX_ENTRIES);
    }

    #[test]
    fn messages_say_how_long_to_wait() {
        assert_eq!(RetryAfter(1).message(), "Too many attempts. Try again in 1 second.");
        assert_eq!(RetryAfter(45).message(), "Too many attempts. Try again in 45 seconds.");
        assert_eq!(RetryAfter(300).message(), "Too many attempts. Try again in 5 minutes.");
    }
}
