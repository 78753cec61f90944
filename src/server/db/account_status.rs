//! Accounts as the instance administrator sees them: people, with whether each is disabled.
//! Disabling keeps the account's data but refuses it everywhere: its sessions and tokens end
//! in the same transaction, and sign-in and token lookups skip disabled accounts.

use sqlx::Row;

use super::Pool;

#[derive(Clone, Debug)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_instance_admin: bool,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
}

/// People (not service principals) whose name or address contains `search`, by address, at
/// most `limit`.
pub async fn people(
    pool: &Pool,
    search: Option<&str>,
    limit: i64,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    let pattern = search.map(|s| format!("%{}%", s.trim().to_lowercase()));
    sqlx::query(
        "SELECT id, email, display_name, is_instance_admin, disabled_at, created_at FROM users \
         WHERE kind = 'person' AND deleted_at IS NULL \
           AND ($1 IS NULL OR email_key LIKE $1 OR LOWER(display_name) LIKE $1) \
         ORDER BY email_key LIMIT $2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(AccountRow {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            is_instance_admin: row.try_get::<i32, _>("is_instance_admin")? != 0,
            disabled_at: row.try_get("disabled_at")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .collect()
}

/// Disables a person's account at `now`, ending its sessions and revoking its tokens; false
/// when there is no such live, enabled person.
pub async fn disable(pool: &Pool, user_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    let changed = sqlx::query(
        "UPDATE users SET disabled_at = $1 \
         WHERE id = $2 AND kind = 'person' AND deleted_at IS NULL AND disabled_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    super::access_tokens::revoke_all_for_user(&mut *tx, user_id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Lets a disabled account sign in again (its revoked tokens stay revoked).
pub async fn enable(pool: &Pool, user_id: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE users SET disabled_at = NULL WHERE id = $1 AND kind = 'person' \
         AND deleted_at IS NULL AND disabled_at IS NOT NULL",
    )
    .bind(user_id)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(changed == 1)
}
