//! Changes a person makes to their own account: their name and their password. A new password
//! ends the account's reset links; one set by a reset link also revokes every access token of
//! the account (whoever forgot a password may have lost it to someone), in the same
//! transaction. Sessions are ended by the caller (`sessions`).

use super::account_links::{self, Purpose};
use super::Pool;
use crate::domain::PersonName;

pub async fn rename(pool: &Pool, user_id: i64, name: &PersonName) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(name.as_str())
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Stores a new password hash (changed by its owner, who knew the old one); the account's
/// reset links end.
pub async fn set_password(
    pool: &Pool,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    account_links::end_live(&mut tx, user_id, Purpose::Reset, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A reset link used and the new password stored, in one transaction: false when the link
/// was used (or replaced, or expired) meanwhile.
pub async fn reset_password(
    pool: &Pool,
    link: &account_links::AccountLink,
    password_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    if !account_links::consume(&mut tx, link.id, now).await? {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(link.user_id)
        .execute(&mut *tx)
        .await?;
    super::access_tokens::revoke_all_for_user(&mut *tx, link.user_id, now).await?;
    account_links::end_live(&mut tx, link.user_id, Purpose::Reset, now).await?;
    tx.commit().await?;
    Ok(true)
}
