//! All SQL lives below this module. One pool serves SQLite or Postgres, chosen by the URL;
//! queries use `$n` placeholders and types both backends agree on (integers for booleans and
//! epoch-second timestamps).

pub mod access_tokens;
pub mod account_changes;
pub mod account_links;
pub mod account_status;
pub mod addresses;
pub mod audit;
pub mod computes;
pub mod dataset_versions;
pub mod datasets;
pub mod datastores;
pub mod deployments;
pub mod endpoints;
pub mod environments;
pub mod experiments;
pub mod group_changes;
pub mod group_invitations;
pub mod groups;
pub mod instance;
pub mod invitations;
pub mod logged_model_edits;
pub mod logged_models;
pub mod members;
pub mod model_registry;
pub mod model_version_files;
pub mod model_versions;
pub mod models;
pub mod organizations;
pub mod outbox;
pub(crate) mod pairs;
pub mod pipeline_runs;
pub mod pipelines;
pub mod resource_groups;
pub mod role_assignments;
pub mod role_definitions;
pub mod run_lifecycle;
pub mod run_logs;
pub mod run_metrics;
pub mod run_outputs;
pub mod run_search;
pub mod run_snapshots;
pub mod runs;
pub mod scopes;
pub mod service_principal_tokens;
pub mod service_principals;
pub mod sessions;
mod statement;
pub mod tracking;
pub mod users;
pub mod workspace_contents;
pub mod workspaces;
mod write_transaction;

pub use write_transaction::{begin, WriteTransaction};

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use std::path::Path;
use std::time::Duration;

pub type Pool = AnyPool;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }
}

/// sqlx counts the transactions begun on each SQLite connection, and a connection has come
/// back to the pool still counting one: under the benchmark's write load, with no error logged
/// before it (a ROLLBACK that fails because SQLite already rolled back on its own is not
/// counted down). Every transaction begun on it after that fails with
/// `InvalidSavePointStatement`, thousands of writes in a minute. Such connections are found
/// among the idle ones and closed; the pool opens fresh ones.
async fn close_connections_left_in_a_transaction(pool: &Pool) -> Result<(), sqlx::Error> {
    let mut sound = Vec::new();
    for _ in 0..pool.size() {
        // The stuck connection is on its way back to the pool as this runs; connections busy
        // elsewhere are not waited for long.
        let Ok(Ok(mut conn)) =
            tokio::time::timeout(Duration::from_millis(200), pool.acquire()).await
        else {
            break;
        };
        // A BEGIN of one's own is refused, before SQLite sees it, where sqlx counts a
        // transaction; a deferred BEGIN takes no lock.
        let stuck = match sqlx::Connection::begin_with(&mut *conn, "BEGIN").await {
            Ok(probe) => {
                probe.rollback().await?;
                false
            }
            Err(sqlx::Error::InvalidSavePointStatement) => true,
            Err(e) => return Err(e),
        };
        if stuck {
            tracing::warn!("closing a database connection left inside a transaction");
            conn.close().await?;
        } else {
            // Held until all are checked, so that the next try takes another.
            sound.push(conn);
        }
    }
    Ok(())
}

/// Opens the pool and brings the schema up to date. For SQLite the file (and its directory) is
/// created on first start.
pub async fn connect_and_migrate(url: &str, max_connections: u32) -> anyhow::Result<Pool> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url);
    let pool = match backend {
        Backend::Sqlite => {
            let url = sqlite_url_creating_file(url)?;
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        // WAL lets readers work while one writer commits; the busy timeout
                        // makes a second writer wait instead of failing at once.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
        }
    }
    .context("connecting to the database")?;
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.run(&pool).await.context("migrating the database")?;
    Ok(pool)
}

/// Adds `mode=rwc` so SQLite creates a missing file, and creates the file's directory.
fn sqlite_url_creating_file(url: &str) -> anyhow::Result<String> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::server::private_dir::create_if_missing(dir)?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// The (organization, workspace) ids every query on a workspace's assets filters by, from the
/// caller's proof for the workspace.
pub(crate) fn tenant(
    ws: &crate::server::authz::proof::Authorized<scopes::WorkspaceScope>,
) -> (i64, i64) {
    let scope = ws.target();
    (scope.resource_group.organization.id, scope.id)
}

/// The row of `table` (one of the workspace asset tables, named in code) whose name is `name`
/// in any case, with `columns`: every kind of asset is found by name the same way, inside its
/// workspace.
pub(crate) async fn row_by_name<'c, E>(
    executor: E,
    ws: &crate::server::authz::proof::Authorized<scopes::WorkspaceScope>,
    table: &str,
    columns: &str,
    name: &str,
) -> Result<Option<sqlx::any::AnyRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {columns} FROM {table} \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(executor)
    .await
}

/// Up to `limit` rows of `table` (one of the workspace asset tables, named in code) in name
/// order, with `columns`: what the tracking API's searches look through.
pub(crate) async fn all_by_name(
    pool: &Pool,
    ws: &crate::server::authz::proof::Authorized<scopes::WorkspaceScope>,
    table: &str,
    columns: &str,
    limit: i64,
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {columns} FROM {table} WHERE organization_id = $1 AND workspace_id = $2 \
         ORDER BY name_key LIMIT $3"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How many rows of `table` (one of the workspace asset tables, named in code) belong to the
/// workspace: the overview's counts.
pub(crate) async fn count_in_workspace(
    pool: &Pool,
    ws: &crate::server::authz::proof::Authorized<scopes::WorkspaceScope>,
    table: &'static str,
) -> Result<i64, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table} WHERE organization_id = $1 AND workspace_id = $2"
    ))
    .bind(org)
    .bind(ws_id)
    .fetch_one(pool)
    .await
}

/// Seconds since the Unix epoch: how every timestamp is stored.
/// The id an `INSERT … RETURNING id` gave back, or `taken` when the row broke a unique
/// constraint (a name or address already in use).
pub(crate) fn inserted_id<E: From<sqlx::Error>>(
    inserted: Result<sqlx::any::AnyRow, sqlx::Error>,
    taken: E,
) -> Result<i64, E> {
    use sqlx::Row;
    match inserted {
        Ok(row) => Ok(row.try_get("id")?),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(taken),
        Err(e) => Err(e.into()),
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/sub/atelier.db", dir.path().display());
        assert_eq!(sqlite_url_creating_file(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.path().join("sub").is_dir());
        let explicit = format!("{url}?mode=ro");
        assert_eq!(sqlite_url_creating_file(&explicit).unwrap(), explicit);
    }
}
