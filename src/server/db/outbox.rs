//! Mail waiting to go out and mail that went: written in the transaction of what it announces,
//! delivered by the worker in `server::mail` when SMTP is configured.

use sqlx::Row;

use super::Pool;

pub struct NewMail<'a> {
    pub organization_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub recipient: &'a str,
    pub subject: &'a str,
    /// The body, sealed with the server's key.
    pub sealed_body: &'a str,
    /// An invitation's link, sealed; empty for other mail.
    pub sealed_link: &'a str,
}

pub async fn queue(
    tx: &mut sqlx::AnyConnection,
    mail: NewMail<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (organization_id, invitation_id, recipient, subject, sealed_body, \
         sealed_link, state, attempts, next_attempt_at, last_error, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, '', $7) RETURNING id",
    )
    .bind(mail.organization_id)
    .bind(mail.invitation_id)
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.sealed_body)
    .bind(mail.sealed_link)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")
}

/// A message to one account's address (a confirmation or reset link, or a notice), outside
/// any organization.
pub struct AccountMail<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    /// The body, sealed with the server's key.
    pub sealed_body: &'a str,
    /// The link, sealed; empty for a notice without one.
    pub sealed_link: &'a str,
}

/// Queues mail about an account; `account_link` names the link it carries, so the link can be
/// forgotten once used or replaced.
pub async fn queue_account_mail(
    tx: &mut sqlx::AnyConnection,
    mail: AccountMail<'_>,
    account_link: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (organization_id, invitation_id, account_link_id, recipient, subject, \
         sealed_body, sealed_link, state, attempts, next_attempt_at, last_error, created_at) \
         VALUES (NULL, NULL, $1, $2, $3, $4, $5, 'queued', 0, $6, '', $6) RETURNING id",
    )
    .bind(account_link)
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.sealed_body)
    .bind(mail.sealed_link)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")
}

/// When an account link is used or replaced: its unsent message is dropped and every copy of
/// the link forgotten.
pub async fn forget_account_link(
    tx: &mut sqlx::AnyConnection,
    account_link: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET state = CASE WHEN state = 'queued' THEN 'discarded' ELSE state END, \
         sealed_link = '' WHERE account_link_id = $1",
    )
    .bind(account_link)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// When an invitation's link changes or dies: its messages that have not gone yet are dropped,
/// and the links of all its messages are forgotten.
pub async fn discard_unsent(
    tx: &mut sqlx::AnyConnection,
    invitation_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET state = CASE WHEN state = 'queued' THEN 'discarded' ELSE state END, \
         sealed_link = '' WHERE invitation_id = $1",
    )
    .bind(invitation_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct MailRecord {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub sealed_body: String,
    pub sealed_link: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

fn record(row: &sqlx::any::AnyRow) -> Result<MailRecord, sqlx::Error> {
    Ok(MailRecord {
        id: row.try_get("id")?,
        organization_id: row.try_get("organization_id")?,
        invitation_id: row.try_get("invitation_id")?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        sealed_body: row.try_get("sealed_body")?,
        sealed_link: row.try_get("sealed_link")?,
        state: row.try_get("state")?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

const COLUMNS: &str = "id, organization_id, invitation_id, recipient, subject, sealed_body, \
                       sealed_link, state, attempts, last_error, created_at, sent_at";

/// Queued messages whose time has come, oldest first.
pub async fn due(pool: &Pool, now: i64, limit: i64) -> Result<Vec<MailRecord>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1 \
         ORDER BY id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(record)
    .collect()
}

/// Every message, newest first, for the instance admin's Outbox page.
pub async fn all(pool: &Pool, limit: i64) -> Result<Vec<MailRecord>, sqlx::Error> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(record)
        .collect()
}

/// The newest message of an invitation that is still worth reading (not discarded).
pub async fn latest_for_invitation(
    pool: &Pool,
    organization_id: i64,
    invitation_id: i64,
) -> Result<Option<MailRecord>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE organization_id = $1 AND invitation_id = $2 \
         AND state <> 'discarded' ORDER BY id DESC LIMIT 1"
    ))
    .bind(organization_id)
    .bind(invitation_id)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(record)
    .transpose()
}

/// Sent: the state the inviter sees. The link went with it and is forgotten here.
pub async fn mark_sent(tx: &mut sqlx::AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = $1, last_error = '', \
         sealed_link = '' WHERE id = $2 AND state = 'queued'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A failed attempt: tried again at `retry_at`, or given up (`None`).
pub async fn mark_attempt_failed(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let (state, next) = match retry_at {
        Some(at) => ("queued", at),
        None => ("failed", 0),
    };
    sqlx::query(
        "UPDATE outbox SET state = $1, attempts = attempts + 1, last_error = $2, \
         next_attempt_at = $3 \
         WHERE id = $4 AND state = 'queued'",
    )
    .bind(state)
    .bind(error)
    .bind(next)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
