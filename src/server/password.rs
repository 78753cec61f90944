//! Argon2id password hashing at OWASP's minimum cost (19 MiB, 2 passes, 1 lane), run on the
//! blocking pool so a sign-in never stalls the async workers, and at most a few at a time: a
//! flood of sign-ins waits its turn (then is told the server is busy) instead of taking 19 MiB
//! and a thread each, and pages keep being served.
//!
//! The slots belong to a server ([`Passwords`] in its state), not to the process: servers that
//! share a process (the integration tests run dozens) must not make each other's sign-ins wait.

use anyhow::Context;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::Arc;

use crate::domain::Password;

/// Hashes computed at once: one per core, at least two.
fn slot_count() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from).max(2)
}

/// Hashes and checks passwords in a server's few hashing slots; clones share the slots.
#[derive(Clone, Debug)]
pub struct Passwords {
    slots: Arc<tokio::sync::Semaphore>,
}

impl Default for Passwords {
    fn default() -> Self {
        Self { slots: Arc::new(tokio::sync::Semaphore::new(slot_count())) }
    }
}

/// How long a hash waits for a slot before the request is answered "busy".
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The server had no hashing slot free in time.
#[derive(Debug, thiserror::Error)]
#[error("too many passwords are being checked at once")]
pub struct Busy;

/// What a failed hash or check tells the person: "busy" when no slot came free in time (the
/// cause logged otherwise).
pub fn refusal(error: anyhow::Error, what: &'static str) -> crate::error::AppError {
    if error.is::<Busy>() {
        tracing::warn!("{what}: no password hashing slot came free in time");
        crate::error::AppError::new(
            crate::error::ErrorKind::Unavailable,
            "Atelier is busy checking passwords. Try again in a moment.",
        )
    } else {
        super::error::internal(what, error)
    }
}

/// Runs `work` on the blocking pool once one of `slots` is free.
async fn in_slot<T: Send + 'static>(
    slots: &tokio::sync::Semaphore,
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let slot = tokio::time::timeout(SLOT_WAIT, slots.acquire())
        .await
        .map_err(|_| Busy)?
        .context("hashing slots")?;
    let done = tokio::task::spawn_blocking(work).await.context("password hashing task")?;
    drop(slot);
    done
}

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl Passwords {
    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
    pub async fn hash(&self, password: &Password) -> anyhow::Result<String> {
        let password = password.clone();
        in_slot(&self.slots, move || {
            hasher()?
                .hash_password(password.expose().as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await
    }

    /// Whether `candidate` matches the stored PHC string. A malformed hash counts as no match
    /// (and is logged): it must never let anyone in.
    pub async fn verify(&self, candidate: String, phc: Arc<str>) -> anyhow::Result<bool> {
        in_slot(&self.slots, move || {
            let matched = hasher()?.verify_password(candidate.as_bytes(), &*phc);
            match matched {
                Ok(()) => Ok(true),
                Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
                Err(e) => {
                    tracing::error!(error = %e, "stored password hash could not be checked");
                    Ok(false)
                }
            }
        })
        .await
    }

    /// A hash verified against when the email is unknown, so that a failed sign-in takes as
    /// long whether or not the account exists. Its password need not be secret: a match is
    /// discarded.
    pub async fn dummy_hash(&self) -> anyhow::Result<Arc<str>> {
        let password = Password::parse("timing equaliser for unknown emails")
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(self.hash(&password).await?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_own_password() {
        let password = Password::parse("correct horse battery").unwrap();
        let passwords = Passwords::default();
        let phc: Arc<str> = passwords.hash(&password).await.unwrap().into();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords.verify("correct horse battery".into(), phc.clone()).await.unwrap());
        assert!(!passwords.verify("correct horse battery!".into(), phc).await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_gets_a_different_salt_each_time() {
        let password = Password::parse("correct horse battery").unwrap();
        let passwords = Passwords::default();
        assert_ne!(
            passwords.hash(&password).await.unwrap(),
            passwords.hash(&password).await.unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_there_are_slots() {
        let slots = slot_count();
        let passwords = Passwords::default();
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..slots * 3)
            .map(|_| {
                let (running, most, slots) =
                    (running.clone(), most.clone(), passwords.slots.clone());
                tokio::spawn(async move {
                    in_slot(&slots, move || {
                        use std::sync::atomic::Ordering::SeqCst;
                        let now = running.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, SeqCst);
                        Ok(())
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!(most <= slots && most >= 1, "{most} at once with {slots} slots");
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        let passwords = Passwords::default();
        assert!(!passwords
            .verify("anything at all".into(), "not-a-phc-string".into())
            .await
            .unwrap());
    }
}
