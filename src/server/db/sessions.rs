//! Session records for tower-sessions. The cookie carries the session id; the table holds only
//! its SHA-256, so reading the database does not hand out live sessions. Whose a session is,
//! when it signed in, was last seen, from which browser and address are copied out of its data
//! into columns, so a person can list their sessions and end them, and an account's sessions
//! can all be ended at once.

use super::Pool;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use sqlx::Row;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Clone, Debug)]
pub struct SqlSessionStore {
    pool: Pool,
}

impl SqlSessionStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

fn id_hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.0.to_le_bytes()))
}

/// Keys of a session's data that are also kept in columns.
pub mod keys {
    pub const USER_ID: &str = "user_id";
    pub const SIGNED_IN_AT: &str = "signed_in_at";
    pub const LAST_SEEN_AT: &str = "last_seen_at";
    pub const USER_AGENT: &str = "user_agent";
    pub const CLIENT_ADDRESS: &str = "client_address";
}

/// The column values a record's data holds.
struct Owner {
    user_id: Option<i64>,
    signed_in_at: Option<i64>,
    last_seen_at: Option<i64>,
    user_agent: Option<String>,
    client_address: Option<String>,
}

fn owner_of(record: &Record) -> Owner {
    let number = |key: &str| record.data.get(key).and_then(serde_json::Value::as_i64);
    // Kept short: a browser's own string, shown back to its person only.
    let text = |key: &str| {
        record.data.get(key).and_then(|v| v.as_str()).map(|t| t.chars().take(300).collect())
    };
    Owner {
        user_id: number(keys::USER_ID),
        signed_in_at: number(keys::SIGNED_IN_AT),
        last_seen_at: number(keys::LAST_SEEN_AT),
        user_agent: text(keys::USER_AGENT),
        client_address: text(keys::CLIENT_ADDRESS),
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // Ids are 128 random bits, but a collision must still never join two sessions.
        let owner = owner_of(record);
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id_hash, data, expires_at, user_id, signed_in_at, \
                 last_seen_at, user_agent, client_address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (id_hash) DO NOTHING",
            )
            .bind(id_hash(&record.id))
            .bind(&data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(owner.user_id)
            .bind(owner.signed_in_at)
            .bind(owner.last_seen_at)
            .bind(owner.user_agent.clone())
            .bind(owner.client_address.clone())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let owner = owner_of(record);
        sqlx::query(
            "INSERT INTO sessions (id_hash, data, expires_at, user_id, signed_in_at, last_seen_at, \
             user_agent, client_address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, \
             expires_at = excluded.expires_at, user_id = excluded.user_id, \
             signed_in_at = excluded.signed_in_at, last_seen_at = excluded.last_seen_at, \
             user_agent = excluded.user_agent, client_address = excluded.client_address",
        )
        .bind(id_hash(&record.id))
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .bind(owner.user_id)
        .bind(owner.signed_in_at)
        .bind(owner.last_seen_at)
        .bind(owner.user_agent)
        .bind(owner.client_address)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = sqlx::query(
            "SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash(id))
        .bind(OffsetDateTime::now_utc().unix_timestamp())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: i64 = row.try_get("expires_at").map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(expires_at)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash(id))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// One of a person's sessions, as their Sessions page lists it.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// The SHA-256 of the session id: names it in a sign-out form without being a cookie.
    pub id_hash: String,
    pub signed_in_at: Option<i64>,
    pub last_seen_at: Option<i64>,
    pub user_agent: String,
    pub client_address: String,
}

/// The stored key of the session with this id.
pub fn hash_of(id: &Id) -> String {
    id_hash(id)
}

/// The live sessions of `user_id`, most recently seen first.
pub async fn of_user(pool: &Pool, user_id: i64) -> Result<Vec<SessionRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id_hash, signed_in_at, last_seen_at, user_agent, client_address FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id_hash",
    )
    .bind(user_id)
    .bind(OffsetDateTime::now_utc().unix_timestamp())
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(SessionRecord {
            id_hash: row.try_get("id_hash")?,
            signed_in_at: row.try_get("signed_in_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            user_agent: row.try_get::<Option<String>, _>("user_agent")?.unwrap_or_default(),
            client_address: row.try_get::<Option<String>, _>("client_address")?.unwrap_or_default(),
        })
    })
    .collect()
}

/// Ends one session of `user_id` (by its stored key); another person's is left alone.
pub async fn end_one(pool: &Pool, user_id: i64, id_hash: &str) -> Result<bool, sqlx::Error> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2")
        .bind(user_id)
        .bind(id_hash)
        .execute(pool)
        .await?
        .rows_affected();
    Ok(ended == 1)
}

/// Ends every session of `user_id` but `keep` (a stored key: the caller's own session).
pub async fn end_all_for_user(
    pool: &Pool,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
        .bind(user_id)
        .bind(keep)
        .execute(pool)
        .await?
        .rows_affected())
}

#[async_trait]
impl ExpiredDeletion for SqlSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(OffsetDateTime::now_utc().unix_timestamp())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_key_is_a_digest_not_the_id() {
        let id = Id(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        let hash = id_hash(&id);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&id.to_string()));
        assert_eq!(hash, id_hash(&id));
    }
}
