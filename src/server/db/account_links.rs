//! Links Atelier mails to an account's address: to confirm the address (at sign-up, or a new
//! address before it takes effect) or to choose a new password. Only the token's hash is
//! stored; a link works once, until it expires, and a newer link of the same purpose replaces
//! it. Its message's copy of the link is forgotten as soon as the link is used or replaced.

use sqlx::Row;

use super::outbox;
use super::Pool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Reset => "reset",
        }
    }
}

/// A link as its token finds it.
#[derive(Clone, Debug)]
pub struct AccountLink {
    pub id: i64,
    pub user_id: i64,
    /// The address it was mailed to, as typed.
    pub email: String,
    pub email_key: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

impl AccountLink {
    pub fn is_live_at(&self, now: i64) -> bool {
        self.used_at.is_none() && self.expires_at > now
    }
}

/// A new link and its sealed message, ready to be written.
pub struct NewLink<'a> {
    pub user_id: i64,
    pub purpose: Purpose,
    pub email: &'a str,
    pub email_key: &'a str,
    pub token_hash: &'a str,
    pub expires_at: i64,
    pub mail: outbox::AccountMail<'a>,
}

/// Stores a link, ending the account's earlier live links of the same purpose, and queues its
/// message, in the caller's transaction.
pub async fn create(
    tx: &mut sqlx::AnyConnection,
    link: NewLink<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    end_live(tx, link.user_id, link.purpose, now).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO account_links (user_id, purpose, email, email_key, token_hash, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(link.user_id)
    .bind(link.purpose.as_str())
    .bind(link.email)
    .bind(link.email_key)
    .bind(link.token_hash)
    .bind(now)
    .bind(link.expires_at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    outbox::queue_account_mail(tx, link.mail, Some(id), now).await?;
    Ok(id)
}

/// Ends every live link of `purpose` of an account (used, replaced, or the account's password
/// changed) and forgets their messages' copies of the links.
pub async fn end_live(
    tx: &mut sqlx::AnyConnection,
    user_id: i64,
    purpose: Purpose,
    now: i64,
) -> Result<(), sqlx::Error> {
    // Writes only, the first one taking the write lock: on SQLite a transaction that reads
    // first and writes later fails at once ("database is locked") if another connection wrote
    // in between, where one that starts by writing waits its turn.
    sqlx::query(
        "UPDATE outbox SET state = CASE WHEN state = 'queued' THEN 'discarded' ELSE state END, \
         sealed_link = '' WHERE account_link_id IN (SELECT id FROM account_links \
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL)",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE account_links SET used_at = $1 \
         WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(purpose.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The link of `purpose` whose token hashes to `token_hash`, live or not.
pub async fn by_token_hash(
    pool: &Pool,
    purpose: Purpose,
    token_hash: &str,
) -> Result<Option<AccountLink>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, user_id, email, email_key, expires_at, used_at FROM account_links \
         WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(AccountLink {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            email: row.try_get("email")?,
            email_key: row.try_get("email_key")?,
            expires_at: row.try_get("expires_at")?,
            used_at: row.try_get("used_at")?,
        })
    })
    .transpose()
}

/// Uses a link: true for the one caller that finds it still live (a second click, or two at
/// once, get false).
pub async fn consume(tx: &mut sqlx::AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let used = sqlx::query(
        "UPDATE account_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if used {
        outbox::forget_account_link(tx, id).await?;
    }
    Ok(used)
}

/// The address of the account's live confirmation link: a new address waiting to be
/// confirmed (or its sign-up address, which the caller tells apart).
pub async fn pending_address(
    pool: &Pool,
    user_id: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email FROM account_links WHERE user_id = $1 AND purpose = 'confirm' \
         AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(pool)
    .await
}
