//! A run's log: text chunks in arrival order, read from a position so a page can follow it.

use sqlx::Row;

use super::scopes::WorkspaceScope;
use super::{tenant, Pool};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct LogChunk {
    pub seq: i64,
    pub body: String,
    pub created_at: i64,
}

/// Adds a chunk after the run's last one (inside the caller's transaction).
pub(crate) async fn append(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    run_id: i64,
    body: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO run_logs (organization_id, run_id, seq, body, created_at) \
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4 FROM run_logs WHERE run_id = $2",
    )
    .bind(org)
    .bind(run_id)
    .bind(body)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Chunks after `after_seq`, oldest first, at most `limit`.
pub async fn read(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<LogChunk>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "SELECT l.seq, l.body, l.created_at FROM run_logs l JOIN runs r ON r.id = l.run_id \
         WHERE l.run_id = $1 AND l.organization_id = $2 AND r.workspace_id = $3 AND l.seq > $4 \
         ORDER BY l.seq LIMIT $5",
    )
    .bind(run_id)
    .bind(org)
    .bind(ws_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(LogChunk {
            seq: row.try_get("seq")?,
            body: row.try_get("body")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .collect()
}
