//! Versions of data assets: registered (numbered in the registering transaction, never reused
//! while the asset exists), read, described and deleted. Each change refreshes the asset row's
//! copy of its latest version and is audited in the same transaction.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::datasets::{decode, get_in, ChangeError, Removed};
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::dataset::{DataFormat, DataUri, DatasetName};
use crate::domain::{Description, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct VersionRecord {
    pub version: i64,
    pub format: DataFormat,
    /// Empty for an upload.
    pub uri: String,
    /// An upload's file name, size and digest, and the directory of the datastore holding it.
    pub file_name: String,
    pub size: Option<i64>,
    pub sha256: String,
    pub datastore_dir: Option<String>,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

impl VersionRecord {
    pub fn is_upload(&self) -> bool {
        self.datastore_dir.is_some()
    }
}

const COLUMNS: &str = "v.version, v.format, v.uri, v.file_name, v.size, v.sha256, \
     d.path AS datastore_dir, v.description, v.tags, v.created_by_name, v.created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<VersionRecord, sqlx::Error> {
    Ok(VersionRecord {
        version: row.try_get("version")?,
        format: decode(DataFormat::parse(&row.try_get::<String, _>("format")?))?,
        uri: row.try_get("uri")?,
        file_name: row.try_get("file_name")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        datastore_dir: row.try_get("datastore_dir")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Every version of the asset with id `dataset_id` (read through the same proof), newest first.
pub async fn for_dataset(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    dataset_id: i64,
) -> Result<Vec<VersionRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM dataset_versions v LEFT JOIN datastores d ON d.id = v.datastore_id \
         WHERE v.dataset_id = $1 AND v.organization_id = $2 AND v.workspace_id = $3 \
         ORDER BY v.version DESC"
    ))
    .bind(dataset_id)
    .bind(org)
    .bind(ws_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// One version of the asset named `name`, with the asset's stored name.
pub async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
    version: i64,
) -> Result<Option<(String, VersionRecord)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(&format!(
        "SELECT a.name AS asset, {COLUMNS} FROM dataset_versions v \
         JOIN datasets a ON a.id = v.dataset_id \
         LEFT JOIN datastores d ON d.id = v.datastore_id \
         WHERE a.organization_id = $1 AND a.workspace_id = $2 AND a.name_key = $3 \
           AND v.version = $4"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .bind(version)
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((row.try_get("asset")?, from_row(&row)?))).transpose()
}

/// Where a version's data is: a URI, or a file uploaded into the default datastore.
pub enum Source<'a> {
    Uri(&'a DataUri),
    Upload { file_name: &'a str, size: i64, sha256: &'a str },
}

pub struct NewVersion<'a> {
    pub name: &'a DatasetName,
    pub format: DataFormat,
    pub source: Source<'a>,
    pub description: &'a Description,
    pub tags: &'a Tags,
}

/// The number a registration got, and for an upload the default datastore's directory.
pub struct Registered {
    pub name: String,
    pub version: i64,
    pub datastore_dir: Option<String>,
}

/// Registers the next version of `new.name` (1 for a new name) in the caller's transaction.
/// The asset row is written first: it takes the write lock that keeps two registrations of
/// one name from taking the same number.
pub async fn register(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewVersion<'_>,
) -> Result<Registered, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let at = now();
    sqlx::query(
        "INSERT INTO datasets (organization_id, workspace_id, name, name_key, next_version, \
         latest_version, latest_format, latest_size, latest_at, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, 2, 1, $5, -1, $6, $7, $6) \
         ON CONFLICT (workspace_id, name_key) DO UPDATE SET next_version = datasets.next_version + 1",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.name.as_str())
    .bind(new.name.key())
    .bind(new.format.as_str())
    .bind(at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let asset = sqlx::query(
        "SELECT id, name, next_version - 1 AS version FROM datasets \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.name.key())
    .fetch_one(&mut *tx)
    .await?;
    let (dataset_id, name, version): (i64, String, i64) =
        (asset.try_get("id")?, asset.try_get("name")?, asset.try_get("version")?);
    let (uri, store, file_name, size, sha256) = match &new.source {
        Source::Uri(uri) => {
            if let Some(datastore) = uri.datastore() {
                datastore_exists(tx, (org, ws_id), datastore).await?;
            }
            (uri.as_str(), None, "", None, "")
        }
        Source::Upload { file_name, size, sha256 } => {
            let store = super::datastores::default_store(tx, org, ws_id).await?;
            ("", Some(store), *file_name, Some(*size), *sha256)
        }
    };
    sqlx::query(
        "INSERT INTO dataset_versions (organization_id, workspace_id, dataset_id, version, format, \
         uri, datastore_id, file_name, size, sha256, description, tags, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(dataset_id)
    .bind(version)
    .bind(new.format.as_str())
    .bind(uri)
    .bind(store.as_ref().map(|(id, _)| *id))
    .bind(file_name)
    .bind(size)
    .bind(sha256)
    .bind(new.description.as_str())
    .bind(pairs_to_json(new.tags.pairs()))
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    refresh_latest(tx, org, dataset_id).await?;
    let details = json!({
        "version": version,
        "format": new.format.as_str(),
        "uri": (!uri.is_empty()).then_some(uri),
        "file": (!file_name.is_empty()).then_some(file_name),
        "size": size,
    });
    record(tx, ws, actor, Action::DatasetsWrite, &name, details).await?;
    Ok(Registered { name, version, datastore_dir: store.map(|(_, dir)| dir) })
}

async fn datastore_exists(
    tx: &mut sqlx::AnyConnection,
    (org, ws_id): (i64, i64),
    datastore: &str,
) -> Result<(), ChangeError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM datastores WHERE organization_id = $1 AND workspace_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(datastore)
    .fetch_optional(&mut *tx)
    .await?;
    found.map(|_| ()).ok_or_else(|| ChangeError::DatastoreNotFound(datastore.to_owned()))
}

/// Copies the newest remaining version onto the asset row (the list's columns).
async fn refresh_latest(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    dataset_id: i64,
) -> Result<(), sqlx::Error> {
    let latest = sqlx::query(
        "SELECT version, format, size, created_at, description, tags FROM dataset_versions \
         WHERE dataset_id = $1 AND organization_id = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(dataset_id)
    .bind(org)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE datasets SET latest_version = $1, latest_format = $2, latest_size = $3, \
         latest_at = $4, description = $5, tags = $6 WHERE id = $7 AND organization_id = $8",
    )
    .bind(latest.try_get::<i64, _>("version")?)
    .bind(latest.try_get::<String, _>("format")?)
    .bind(latest.try_get::<Option<i64>, _>("size")?.unwrap_or(-1))
    .bind(latest.try_get::<i64, _>("created_at")?)
    .bind(latest.try_get::<String, _>("description")?)
    .bind(latest.try_get::<String, _>("tags")?)
    .bind(dataset_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Changes one version's description and tags (its data is immutable).
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (name, version): (&str, i64),
    description: &Description,
    tags: &Tags,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let asset = get_in(&mut tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    let changed = sqlx::query(
        "UPDATE dataset_versions SET description = $1, tags = $2 \
         WHERE dataset_id = $3 AND version = $4 AND organization_id = $5 AND workspace_id = $6",
    )
    .bind(description.as_str())
    .bind(pairs_to_json(tags.pairs()))
    .bind(asset.id)
    .bind(version)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ChangeError::NotFound);
    }
    refresh_latest(&mut tx, org, asset.id).await?;
    let details = json!({ "version": version, "updated": true });
    record(&mut tx, ws, actor, Action::DatasetsWrite, &asset.name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes one version in the caller's transaction; the asset goes with its last version.
/// Returns where the version's upload (if any) was kept.
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (name, version): (&str, i64),
) -> Result<Removed, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let asset = get_in(tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    let datastore_dirs: Vec<String> = sqlx::query_scalar(
        "SELECT d.path FROM dataset_versions v JOIN datastores d ON d.id = v.datastore_id \
         WHERE v.dataset_id = $1 AND v.version = $2 AND v.organization_id = $3",
    )
    .bind(asset.id)
    .bind(version)
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let deleted = sqlx::query(
        "DELETE FROM dataset_versions \
         WHERE dataset_id = $1 AND version = $2 AND organization_id = $3 AND workspace_id = $4",
    )
    .bind(asset.id)
    .bind(version)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(ChangeError::NotFound);
    }
    let remaining: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dataset_versions WHERE dataset_id = $1")
            .bind(asset.id)
            .fetch_one(&mut *tx)
            .await?;
    if remaining == 0 {
        sqlx::query("DELETE FROM datasets WHERE id = $1 AND organization_id = $2")
            .bind(asset.id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
    } else {
        refresh_latest(tx, org, asset.id).await?;
    }
    let details = json!({ "version": version, "last": remaining == 0 });
    record(tx, ws, actor, Action::DatasetsDelete, &asset.name, details).await?;
    Ok(Removed { name: asset.name, datastore_dirs })
}
