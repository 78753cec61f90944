//! Datastores: where a workspace's files live. The default one (local, `workspaceblobstore`)
//! is made with the workspace; S3-compatible ones are registered with credentials that are
//! stored sealed and handed out only to holders of `datastores/listsecrets/action`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::datastore::{DatastoreKind, DEFAULT_DATASTORE};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct DatastoreRecord {
    pub id: i64,
    pub name: String,
    pub kind: DatastoreKind,
    pub path: String,
    pub bucket: String,
    pub endpoint: String,
    pub region: String,
    pub has_credentials: bool,
    pub description: String,
    pub is_default: bool,
    pub created_by: String,
    pub created_at: i64,
    pub output_count: i64,
    /// Files of model versions kept in it.
    pub model_file_count: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the datastore name is taken")]
    NameTaken,
    #[error("no such datastore")]
    NotFound,
    #[error("the default datastore cannot be deleted")]
    IsDefault,
    #[error("the datastore holds {0} run output(s)")]
    InUse(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "d.id, d.name, d.kind, d.path, d.bucket, d.endpoint, d.region, \
     CASE WHEN d.sealed_secret IS NULL THEN 0 ELSE 1 END AS has_credentials, d.description, \
     d.is_default, \
     d.created_by_name, d.created_at, \
     (SELECT COUNT(*) FROM run_outputs o WHERE o.datastore_id = d.id) AS output_count, \
     (SELECT COUNT(*) FROM model_version_files f WHERE f.datastore_id = d.id) AS model_file_count";

fn from_row(row: &sqlx::any::AnyRow) -> Result<DatastoreRecord, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(DatastoreRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: DatastoreKind::parse(&kind).map_err(|e| sqlx::Error::Decode(e.0.into()))?,
        path: row.try_get("path")?,
        bucket: row.try_get("bucket")?,
        endpoint: row.try_get("endpoint")?,
        region: row.try_get("region")?,
        has_credentials: row.try_get::<i64, _>("has_credentials")? != 0,
        description: row.try_get("description")?,
        is_default: row.try_get::<i64, _>("is_default")? != 0,
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        output_count: row.try_get("output_count")?,
        model_file_count: row.try_get("model_file_count")?,
    })
}

/// The workspace's datastores, the default first, then by name; optionally searched.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    search: Option<&str>,
) -> Result<Vec<DatastoreRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM datastores d WHERE d.organization_id = $1 AND d.workspace_id = $2 \
         AND ($3 IS NULL OR d.name LIKE $3 OR LOWER(d.description) LIKE $3 OR d.bucket LIKE $3) \
         ORDER BY d.is_default DESC, d.name"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(search.map(|s| format!("%{}%", s.to_lowercase())))
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<DatastoreRecord>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    get_in(&mut conn, ws, name).await
}

pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "datastores").await
}

/// Creates a workspace's default datastore, in the workspace's creation transaction.
pub(super) async fn insert_default(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    workspace_id: i64,
) -> Result<(), sqlx::Error> {
    let at = now();
    sqlx::query(
        "INSERT INTO datastores (organization_id, workspace_id, name, kind, path, description, \
         is_default, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, 'local', $3, 'Run outputs, logs and code snapshots.', 1, 'Atelier', $4, $4)",
    )
    .bind(organization_id)
    .bind(workspace_id)
    .bind(DEFAULT_DATASTORE)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What a new datastore is; `sealed_secret` is already encrypted.
pub struct NewDatastore<'a> {
    pub name: &'a str,
    pub kind: DatastoreKind,
    pub path: &'a str,
    pub bucket: &'a str,
    pub endpoint: &'a str,
    pub region: &'a str,
    pub access_key_id: &'a str,
    pub sealed_secret: Option<String>,
    pub description: &'a str,
}

pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewDatastore<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let at = now();
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "INSERT INTO datastores (organization_id, workspace_id, name, kind, path, bucket, endpoint, \
         region, access_key_id, sealed_secret, description, is_default, created_by_name, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13, $13)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.name)
    .bind(new.kind.as_str())
    .bind(new.path)
    .bind(new.bucket)
    .bind(new.endpoint)
    .bind(new.region)
    .bind(new.access_key_id)
    .bind(new.sealed_secret.as_deref())
    .bind(new.description)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::NameTaken,
        e => e.into(),
    })?;
    // The details say what kind of store, never its credentials.
    let details = json!({ "kind": new.kind.as_str(), "credentials": new.sealed_secret.is_some() });
    record(&mut tx, ws, actor, Action::DatastoresWrite, new.name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a datastore that is not the default and holds no run outputs.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let store = get_in(&mut tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    if store.is_default {
        return Err(ChangeError::IsDefault);
    }
    if store.output_count > 0 {
        return Err(ChangeError::InUse(store.output_count));
    }
    sqlx::query("DELETE FROM datastores WHERE id = $1 AND organization_id = $2")
        .bind(store.id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, ws, actor, Action::DatastoresDelete, name, json!({})).await?;
    tx.commit().await?;
    Ok(())
}

async fn get_in(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<DatastoreRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM datastores d \
         WHERE d.organization_id = $1 AND d.workspace_id = $2 AND d.name = $3"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// A datastore's access key id and sealed secret. The proof must be for
/// `datastores/listsecrets/action`: reading credentials is recorded in the activity log.
pub async fn credentials(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    debug_assert_eq!(ws.action(), Action::DatastoresListSecrets);
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT access_key_id, sealed_secret FROM datastores \
         WHERE organization_id = $1 AND workspace_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    record(&mut tx, ws, actor, Action::DatastoresListSecrets, name, json!({})).await?;
    tx.commit().await?;
    Ok(Some((row.try_get("access_key_id")?, row.try_get("sealed_secret")?)))
}

/// The default datastore's id and directory (inside the caller's transaction).
pub async fn default_store(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    ws_id: i64,
) -> Result<(i64, String), sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, path FROM datastores \
         WHERE organization_id = $1 AND workspace_id = $2 AND is_default = 1",
    )
    .bind(org)
    .bind(ws_id)
    .fetch_one(&mut *tx)
    .await?;
    Ok((row.try_get("id")?, row.try_get("path")?))
}
