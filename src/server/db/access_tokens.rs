//! Access tokens: stored as the hash of their secret, with the reach and limits they were given.
//! Finding the token of a request and its principal is one query; revoking, expiring and the
//! principal's own access are all checked on that path, so each takes effect on the next call.

use sqlx::Row;

use super::users::{self, UserRecord};
use super::Pool;

/// How far a token reaches, by ids. Neither: everything its principal can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredReach {
    pub organization_id: Option<i64>,
    pub workspace_id: Option<i64>,
}

pub struct NewToken<'a> {
    pub user_id: i64,
    pub created_by: i64,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub hint: &'a str,
    pub reach: StoredReach,
    pub read_only: bool,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// A token as its owner's list shows it, with its reach spelled out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub hint: String,
    pub reach: StoredReach,
    /// `/organizations/{slug}` or a workspace's path; empty for everything.
    pub reach_path: String,
    pub read_only: bool,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub last_used_from: String,
    pub revoked_at: Option<i64>,
}

/// A live token found by its secret, and whom it acts for.
#[derive(Clone, Debug)]
pub struct ActiveToken {
    pub id: i64,
    pub reach: StoredReach,
    pub read_only: bool,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub principal: UserRecord,
}

/// Stores a token; `db` is the pool, or a transaction that records an event with it.
pub async fn create<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    new: &NewToken<'_>,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO access_tokens (user_id, name, token_hash, hint, organization_id, workspace_id, \
         read_only, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(new.user_id)
    .bind(new.name)
    .bind(new.token_hash)
    .bind(new.hint)
    .bind(new.reach.organization_id)
    .bind(new.reach.workspace_id)
    .bind(i32::from(new.read_only))
    .bind(new.created_by)
    .bind(new.created_at)
    .bind(new.expires_at)
    .fetch_one(db)
    .await?;
    row.try_get("id")
}

const LISTED: &str = "SELECT t.id, t.user_id, t.name, t.hint, t.organization_id, t.workspace_id, \
     t.read_only, t.created_at, t.expires_at, t.last_used_at, t.last_used_from, t.revoked_at, \
     o.slug, g.name AS rg_name, w.name AS ws_name \
     FROM access_tokens t \
     LEFT JOIN organizations o ON o.id = t.organization_id \
     LEFT JOIN workspaces w ON w.id = t.workspace_id \
     LEFT JOIN resource_groups g ON g.id = w.resource_group_id";

/// The tokens of one principal, newest first (revoked ones too: the list says so).
pub async fn for_user(pool: &Pool, user_id: i64) -> Result<Vec<TokenRecord>, sqlx::Error> {
    sqlx::query(&format!("{LISTED} WHERE t.user_id = $1 ORDER BY t.id DESC"))
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Ends a principal's token now. False when the principal has no such live token.
pub async fn revoke<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE access_tokens SET revoked_at = $1 \
         WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(id)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live token whose secret hashes to `token_hash` at time `now`, with its principal.
pub async fn find_active(
    pool: &Pool,
    token_hash: &str,
    now: i64,
) -> Result<Option<ActiveToken>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT t.id, t.organization_id, t.workspace_id, t.read_only, t.expires_at, t.last_used_at, \
         u.id AS principal_id, u.email, u.display_name, u.password_hash, u.is_instance_admin, \
         u.kind, u.organization_id AS home_organization_id, u.email_verified_at \
         FROM access_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deleted_at IS NULL \
           AND u.disabled_at IS NULL \
           AND (t.expires_at IS NULL OR t.expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(ActiveToken {
        id: row.try_get("id")?,
        reach: StoredReach {
            organization_id: row.try_get("organization_id")?,
            workspace_id: row.try_get("workspace_id")?,
        },
        read_only: row.try_get::<i32, _>("read_only")? != 0,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        principal: users::from_row_with_id(&row, "principal_id")?,
    }))
}

/// Notes a use of the token, at most once a minute (the caller skips it when recent).
pub async fn touch(pool: &Pool, id: i64, at: i64, from: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE access_tokens SET last_used_at = $1, last_used_from = $2 \
         WHERE id = $3 AND (last_used_at IS NULL OR last_used_at < $4)",
    )
    .bind(at)
    .bind(from)
    .bind(id)
    .bind(at - 60)
    .execute(pool)
    .await?;
    Ok(())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<TokenRecord, sqlx::Error> {
    let reach = StoredReach {
        organization_id: row.try_get("organization_id")?,
        workspace_id: row.try_get("workspace_id")?,
    };
    let slug: Option<String> = row.try_get("slug")?;
    let group: Option<String> = row.try_get("rg_name")?;
    let workspace: Option<String> = row.try_get("ws_name")?;
    let reach_path = match (slug, group, workspace) {
        (Some(org), Some(group), Some(ws)) => {
            format!("/organizations/{org}/resourceGroups/{group}/workspaces/{ws}")
        }
        (Some(org), _, _) => format!("/organizations/{org}"),
        _ => String::new(),
    };
    Ok(TokenRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        hint: row.try_get("hint")?,
        reach,
        reach_path,
        read_only: row.try_get::<i32, _>("read_only")? != 0,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        last_used_from: row.try_get("last_used_from")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// Ends every live token of a principal now (its password was reset or changed). Returns how
/// many were revoked.
pub async fn revoke_all_for_user<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    at: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE access_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
