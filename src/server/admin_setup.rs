//! How an instance gets its administrator. On the loopback address (someone's own machine, the
//! quick start) the first account to sign up becomes it. An instance listening beyond loopback
//! could be found by anyone before its operator signs up, so there the administrator comes from
//! a one-time setup link printed in the log at start (or a token the operator sets in
//! `ATELIER_ADMIN_SETUP_TOKEN`), opened by a signed-in person.

use std::net::SocketAddr;
use std::sync::Arc;

use sqlx::Row;

use super::db::users::AdminClaim;
use super::db::Pool;
use super::secrets::token_hash;

#[derive(Clone, Debug)]
pub enum AdminSetup {
    /// Loopback: the first sign-up claims it.
    FirstSignUp,
    /// Beyond loopback: whoever opens the link with this token (stored hashed) while no one
    /// holds the role. `None` once someone does.
    Link(Option<Arc<str>>),
}

impl AdminSetup {
    pub fn first_account_claim(&self) -> AdminClaim {
        match self {
            Self::FirstSignUp => AdminClaim::IfFirst,
            Self::Link(_) => AdminClaim::Never,
        }
    }

    /// Whether `token` is this instance's setup token.
    pub fn accepts(&self, token: &str) -> bool {
        match self {
            Self::Link(Some(hash)) => {
                let given = token_hash(token.trim());
                // Both are hex digests of one length: compare without an early exit.
                given.len() == hash.len()
                    && given.bytes().zip(hash.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
            }
            _ => false,
        }
    }
}

/// Decides at start how the administrator is chosen, logging the setup link when one is
/// needed. `configured` is `ATELIER_ADMIN_SETUP_TOKEN`.
pub async fn prepare(
    pool: &Pool,
    listen: SocketAddr,
    base_url: &url::Url,
    configured: Option<&str>,
) -> anyhow::Result<AdminSetup> {
    if listen.ip().is_loopback() {
        return Ok(AdminSetup::FirstSignUp);
    }
    if admin_claimed(pool).await? {
        return Ok(AdminSetup::Link(None));
    }
    let token = match configured {
        Some(token) => token.trim().to_owned(),
        None => {
            let (token, _) = super::secrets::new_token()?;
            let link = base_url.join(&format!("setup/{token}"))?;
            // Printed once, on purpose: the operator reading the log is who should use it.
            tracing::warn!(
                "This instance has no administrator yet. Sign up, then open {link} to become it \
                 (the link works until someone does; it changes at every start)."
            );
            token
        }
    };
    Ok(AdminSetup::Link(Some(token_hash(&token).into())))
}

async fn admin_claimed(pool: &Pool) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT admin_claimed FROM instance_settings WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i32, _>("admin_claimed")? != 0,
        None => false,
    })
}

/// Makes `user_id` the administrator if no one has claimed the role; false if someone has.
pub async fn claim(pool: &Pool, user_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = crate::server::db::begin(pool).await?;
    let claimed = sqlx::query(
        "UPDATE instance_settings SET admin_claimed = 1 WHERE id = 1 AND admin_claimed = 0",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET is_instance_admin = 1 WHERE id = $1 AND kind = 'person'")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_setup_token_is_accepted() {
        let setup = AdminSetup::Link(Some(token_hash("open sesame").into()));
        assert!(setup.accepts("open sesame"));
        assert!(setup.accepts(" open sesame "));
        assert!(!setup.accepts("open sesame!"));
        assert!(!setup.accepts(""));
        assert!(!AdminSetup::Link(None).accepts("open sesame"));
        assert!(!AdminSetup::FirstSignUp.accepts("open sesame"));
    }
}
