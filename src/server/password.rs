//! Argon2id password hashing at OWASP's minimum cost (19 MiB, 2 passes, 1 lane), run on the
//! blocking pool so a sign-in never stalls the async workers.

use anyhow::Context;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::Arc;

use crate::domain::Password;

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
pub async fn hash(password: &Password) -> anyhow::Result<String> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || {
        hasher()?
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Whether `candidate` matches the stored PHC string. A malformed hash counts as no match
/// (and is logged): it must never let anyone in.
pub async fn verify(candidate: String, phc: Arc<str>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
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
    .context("password verification task")?
}

/// A hash verified against when the email is unknown, so that a failed sign-in takes as long
/// whether or not the account exists. Its password need not be secret: a match is discarded.
pub async fn dummy_hash() -> anyhow::Result<Arc<str>> {
    let password = Password::parse("timing equaliser for unknown emails")
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(hash(&password).await?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_own_password() {
        let password = Password::parse("correct horse battery").unwrap();
        let phc: Arc<str> = hash(&password).await.unwrap().into();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery".into(), phc.clone()).await.unwrap());
        assert!(!verify("correct horse battery!".into(), phc).await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_gets_a_different_salt_each_time() {
        let password = Password::parse("correct horse battery").unwrap();
        assert_ne!(hash(&password).await.unwrap(), hash(&password).await.unwrap());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("anything at all".into(), "not-a-phc-string".into()).await.unwrap());
    }
}
