//! Access tokens on the wire: making a secret, finding it in a request (`Authorization: Bearer`
//! or HTTP basic with the token as the password, as MLflow's client sends it), and turning it
//! into the principal it acts for. Secrets are never logged and only their hash is stored.

use anyhow::Context;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::authz::{Limits, Principal, Reach};
use super::db::access_tokens::{self, StoredReach};
use super::state::AppState;

/// Every secret starts with this, so that secret scanners can find leaked ones.
pub const PREFIX: &str = "atl_";
/// Characters after the prefix: 40 from 62 letters and digits, 238 bits.
const SECRET_LENGTH: usize = 40;
const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new token: the secret to show once, the hash to store, and the hint to list it by.
pub struct NewSecret {
    pub secret: String,
    pub hash: String,
    pub hint: String,
}

pub fn new_secret() -> anyhow::Result<NewSecret> {
    let mut secret = String::with_capacity(PREFIX.len() + SECRET_LENGTH);
    secret.push_str(PREFIX);
    // Rejection sampling keeps every letter equally likely (62 does not divide 256).
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    while secret.len() < PREFIX.len() + SECRET_LENGTH {
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).context("reading the OS random number generator")?;
        for b in bytes.into_iter().filter(|&b| b < limit) {
            if secret.len() == PREFIX.len() + SECRET_LENGTH {
                break;
            }
            secret.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
        }
    }
    let hint = format!("{}…", &secret[..PREFIX.len() + 4]);
    Ok(NewSecret { hash: hash(&secret), hint, secret })
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `text` has the shape of a secret (prefix, length, alphabet): anything else is
/// refused before the database is asked.
fn looks_like_secret(text: &str) -> bool {
    text.strip_prefix(PREFIX).is_some_and(|rest| {
        rest.len() == SECRET_LENGTH && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// What a request's `Authorization` header says about tokens.
#[derive(Debug, PartialEq, Eq)]
pub enum Presented {
    /// No credentials at all.
    Nothing,
    /// Credentials that cannot be a token (a wrong scheme, a malformed secret).
    Malformed,
    Secret(String),
}

/// The token in an `Authorization` header value: `Bearer <token>`, or `Basic` with the token
/// as the password (the user name is ignored; a token given as the user name with an empty
/// password is taken too, as some clients only have one field).
pub fn presented(header: Option<&str>) -> Presented {
    let Some(value) = header.map(str::trim) else {
        return Presented::Nothing;
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    let candidate = if scheme.eq_ignore_ascii_case("bearer") {
        Some(rest.to_owned())
    } else if scheme.eq_ignore_ascii_case("basic") {
        base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|pair| {
                let (user, password) = pair.split_once(':')?;
                Some(if password.is_empty() { user.to_owned() } else { password.to_owned() })
            })
    } else {
        None
    };
    match candidate {
        Some(secret) if looks_like_secret(&secret) => Presented::Secret(secret),
        _ => Presented::Malformed,
    }
}

/// Why a request carries no usable token.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    /// Unknown, revoked, expired, or malformed: the caller is not told which.
    Invalid,
}

/// The address a request came from (the TCP peer) and its `Authorization` header, as the
/// token APIs read them.
pub fn credentials_of(parts: &axum::http::request::Parts) -> (String, Option<&str>) {
    let client_address = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_default();
    let header =
        parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    (client_address, header)
}

/// The principal a request's token acts for, with the token's limits. Notes the use (time and
/// address) at most once a minute.
pub async fn authenticate(
    state: &AppState,
    header: Option<&str>,
    client_address: &str,
) -> Result<Principal, AuthError> {
    // Guessing tokens is slowed per address; a refused try costs no lookup.
    let guesses = super::throttle::Kind::TokenGuessAddress;
    state.throttle.check(guesses, client_address).map_err(AuthError::Throttled)?;
    let invalid = || {
        state.throttle.record(guesses, client_address);
        AuthError::Refused(Refusal::Invalid)
    };
    let secret = match presented(header) {
        Presented::Nothing => return Err(AuthError::Refused(Refusal::Missing)),
        Presented::Malformed => return Err(invalid()),
        Presented::Secret(secret) => secret,
    };
    let now = state.clock.now();
    let token =
        access_tokens::find_active(&state.pool, &hash(&secret), now).await?.ok_or_else(invalid)?;
    if token.last_used_at.is_none_or(|at| at < now - 60) {
        access_tokens::touch(&state.pool, token.id, now, client_address).await?;
    }
    Ok(Principal {
        user: token.principal,
        limits: Limits {
            reach: reach_of(token.reach),
            read_only: token.read_only,
            ends_at: token.expires_at,
        },
    })
}

fn reach_of(stored: StoredReach) -> Reach {
    match stored {
        StoredReach { workspace_id: Some(id), .. } => Reach::Workspace(id),
        StoredReach { organization_id: Some(id), .. } => Reach::Organization(id),
        _ => Reach::Everything,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no usable access token")]
    Refused(Refusal),
    /// Too many invalid tokens from this address lately.
    #[error("too many invalid tokens")]
    Throttled(super::throttle::RetryAfter),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(pair: &str) -> String {
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
    }

    #[test]
    fn secrets_have_the_prefix_and_differ() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert!(a.secret.starts_with("atl_") && a.secret.len() == 44);
        assert!(looks_like_secret(&a.secret));
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash(&a.secret));
        assert!(a.hint.starts_with(&a.secret[..8]) && a.hint.ends_with('…'));
    }

    #[test]
    fn tokens_come_as_bearer_or_as_basic_passwords() {
        let secret = new_secret().unwrap().secret;
        let found = Presented::Secret(secret.clone());
        assert_eq!(presented(Some(&format!("Bearer {secret}"))), found);
        assert_eq!(presented(Some(&format!("bearer  {secret} "))), found);
        assert_eq!(presented(Some(&basic(&format!("anyone:{secret}")))), found);
        assert_eq!(presented(Some(&basic(&format!("{secret}:")))), found);
        assert_eq!(presented(None), Presented::Nothing);
        assert_eq!(presented(Some("Bearer atl_short")), Presented::Malformed);
        assert_eq!(presented(Some(&basic("alice:hunter2"))), Presented::Malformed);
        assert_eq!(presented(Some("Digest abc")), Presented::Malformed);
        assert_eq!(presented(Some("Basic %%%")), Presented::Malformed);
    }
}
