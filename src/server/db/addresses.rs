//! Who holds an address. Until an account confirms its address (with a link Atelier mailed
//! there, or by the instance admin), it only claims it: several accounts may claim one
//! address, since anyone can type any address at sign-up. The first to confirm holds it, and
//! the other claimants are released: they keep their data but no longer answer to the address
//! (they cannot sign in with it, receive invitations to it, or be granted anything by it).

use sqlx::Row;

use super::account_links::{self, AccountLink, Purpose};
use super::Pool;

#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// Used, replaced, expired, or someone else's confirmed address by now.
    #[error("the link no longer works")]
    LinkGone,
    /// Another account confirmed this address first.
    #[error("another account holds this address")]
    HeldByAnother,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What a confirmation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmed {
    pub user_id: i64,
    /// The address the account had before, when the link confirmed a new one.
    pub previous_email: Option<String>,
    /// Accounts that claimed the address and were released (their sessions must end).
    pub released: Vec<i64>,
}

/// Uses a confirmation link: the account now holds the link's address (its sign-up address, or
/// the new address it asked for), in one transaction.
pub async fn confirm_by_link(
    pool: &Pool,
    link: &AccountLink,
    now: i64,
) -> Result<Confirmed, ConfirmError> {
    let mut tx = super::begin(pool).await?;
    if !account_links::consume(&mut tx, link.id, now).await? {
        return Err(ConfirmError::LinkGone);
    }
    let current: Option<String> =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(link.user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(current) = current else { return Err(ConfirmError::LinkGone) };
    let changed = current.to_lowercase() != link.email_key;
    let released = hold(&mut tx, link.user_id, (&link.email, &link.email_key), now).await?;
    tx.commit().await?;
    Ok(Confirmed { user_id: link.user_id, previous_email: changed.then_some(current), released })
}

/// Confirms an account's current address: by the instance admin (an instance without mail),
/// or by a reset link that went to `expected_key`, still the account's address.
pub async fn confirm_current(
    pool: &Pool,
    user_id: i64,
    expected_key: Option<&str>,
    now: i64,
) -> Result<Confirmed, ConfirmError> {
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT email, email_key FROM users WHERE id = $1 AND kind = 'person' \
         AND deleted_at IS NULL AND email_verified_at IS NULL AND email_key NOT LIKE 'released:%'",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Err(ConfirmError::LinkGone) };
    let (email, key): (String, String) = (row.try_get("email")?, row.try_get("email_key")?);
    if expected_key.is_some_and(|expected| expected != key) {
        return Err(ConfirmError::LinkGone);
    }
    let released = hold(&mut tx, user_id, (&email, &key), now).await?;
    account_links::end_live(&mut tx, user_id, Purpose::Confirm, now).await?;
    tx.commit().await?;
    Ok(Confirmed { user_id, previous_email: None, released })
}

/// Gives `user_id` the address, confirmed, and releases the other accounts claiming it. Fails
/// when another account confirmed it first.
async fn hold(
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
    (email, key): (&str, &str),
    now: i64,
) -> Result<Vec<i64>, ConfirmError> {
    let holder: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE email_key = $1 AND id <> $2 AND deleted_at IS NULL \
         AND (email_verified_at IS NOT NULL OR kind = 'service_principal')",
    )
    .bind(key)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    if holder.is_some() {
        return Err(ConfirmError::HeldByAnother);
    }
    let released: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE email_key = $1 AND id <> $2 AND email_verified_at IS NULL \
         AND kind = 'person'",
    )
    .bind(key)
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    for id in &released {
        // The display address stays (activity logs and member lists still name it); the key
        // that sign-in and invitations look up no longer matches anything typed.
        sqlx::query("UPDATE users SET email_key = $1 WHERE id = $2")
            .bind(format!("released:{id}:{key}"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        account_links::end_live(tx, *id, Purpose::Confirm, now).await?;
        account_links::end_live(tx, *id, Purpose::Reset, now).await?;
    }
    sqlx::query(
        "UPDATE users SET email = $1, email_key = $2, email_verified_at = $3 WHERE id = $4",
    )
    .bind(email)
    .bind(key)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(released)
}

/// Whether a confirmed account (or a service principal) other than `except` holds the address.
pub async fn held_by_another(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    email_key: &str,
    except: i64,
) -> Result<bool, sqlx::Error> {
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE email_key = $1 AND id <> $2 AND deleted_at IS NULL \
         AND (email_verified_at IS NOT NULL OR kind = 'service_principal')",
    )
    .bind(email_key)
    .bind(except)
    .fetch_one(db)
    .await?;
    Ok(held > 0)
}

/// An account waiting for its address to be confirmed, for the instance admin.
#[derive(Clone, Debug)]
pub struct Unconfirmed {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub created_at: i64,
}

/// People whose address is unconfirmed (released claimants are not listed), newest first.
pub async fn unconfirmed(pool: &Pool, limit: i64) -> Result<Vec<Unconfirmed>, sqlx::Error> {
    sqlx::query(
        "SELECT id, email, display_name, created_at FROM users WHERE kind = 'person' \
         AND deleted_at IS NULL AND email_verified_at IS NULL \
         AND email_key NOT LIKE 'released:%' ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(Unconfirmed {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .collect()
}
