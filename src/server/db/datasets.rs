//! Data assets: one row per name carrying a copy of its latest version, listed (searched,
//! filtered by format and date, sorted by name, time or size, paged by key), read, counted and
//! deleted. Versions live in `dataset_versions`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::pairs_from_json;
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};
use super::{tenant, Pool};
use crate::authz::Action;
use crate::domain::dataset::{DataFormat, DatasetSort};
use crate::domain::listing::Cursor;
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct DatasetRecord {
    pub id: i64,
    pub name: String,
    pub latest_version: i64,
    pub format: DataFormat,
    /// The latest version's bytes when it was uploaded.
    pub size: Option<i64>,
    /// When the latest version was registered.
    pub latest_at: i64,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such data asset or version")]
    NotFound,
    #[error("the workspace has no datastore {0:?}")]
    DatastoreNotFound(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub(super) fn decode<T>(parsed: Result<T, crate::domain::Invalid>) -> Result<T, sqlx::Error> {
    parsed.map_err(|e| sqlx::Error::Decode(e.0.into()))
}

const COLUMNS: &str = "id, name, latest_version, latest_format, latest_size, latest_at, \
     description, tags, created_by_name, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<DatasetRecord, sqlx::Error> {
    let size: i64 = row.try_get("latest_size")?;
    Ok(DatasetRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        latest_version: row.try_get("latest_version")?,
        format: decode(DataFormat::parse(&row.try_get::<String, _>("latest_format")?))?,
        size: (size >= 0).then_some(size),
        latest_at: row.try_get("latest_at")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The order `sort` reads the table in.
fn order_of(sort: DatasetSort) -> Order {
    match sort {
        DatasetSort::Name => Order::BY_NAME,
        DatasetSort::Newest => Order::number("latest_at", true),
        DatasetSort::Oldest => Order::number("latest_at", false),
        DatasetSort::Largest => Order::number("latest_size", true),
        DatasetSort::Smallest => Order::number("latest_size", false),
    }
}

/// Where a page that ends at `row` stops, in the order `sort`.
pub fn cursor_after(row: &DatasetRecord, sort: DatasetSort) -> Cursor {
    match sort {
        DatasetSort::Name => Cursor::Name(row.name.to_lowercase()),
        DatasetSort::Newest | DatasetSort::Oldest => Cursor::Number(row.latest_at, row.id),
        DatasetSort::Largest | DatasetSort::Smallest => {
            Cursor::Number(row.size.unwrap_or(-1), row.id)
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DatasetFilter {
    /// Contained in the name, description or tags, ignoring case.
    pub search: Option<String>,
    pub format: Option<DataFormat>,
    /// The latest version registered at or after / before these times.
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub sort: DatasetSort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// The list statement with only the filters in use, so the planner can pick the index that
/// fits them (workspace, [format,] then the sort key).
fn list_statement(org: i64, ws_id: i64, filter: &DatasetFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("datasets", (org, ws_id));
    if let Some(format) = filter.format {
        st.equals("latest_format", Arg::Text(format.as_str().into()));
    }
    st.within("latest_at", filter.since, filter.until);
    st.search(filter.search.as_deref(), &NAME_DESCRIPTION_TAGS);
    let select = format!("SELECT {COLUMNS} FROM datasets");
    st.keyset_page(&select, &order_of(filter.sort), filter.after.as_ref(), filter.limit)
}

/// A page of the workspace's data assets, each with its latest version.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &DatasetFilter,
) -> Result<Vec<DatasetRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, filter);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

/// The plan the database picks for `list` (SQLite's `EXPLAIN QUERY PLAN`, Postgres's
/// `EXPLAIN`), one line per step.
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id): (i64, i64),
    filter: &DatasetFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<DatasetRecord>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    get_in(&mut conn, ws, name).await
}

pub(super) async fn get_in(
    conn: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<DatasetRecord>, sqlx::Error> {
    super::row_by_name(&mut *conn, ws, "datasets", COLUMNS, name)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// How many data assets (names, not versions) the workspace has, for its overview.
pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "datasets").await
}

/// What a deletion leaves to remove from the datastores.
pub struct Removed {
    /// The asset's name as stored.
    pub name: String,
    /// The directories of the datastores holding its (or the version's) uploads.
    pub datastore_dirs: Vec<String>,
}

/// Deletes a data asset with all its versions, in the caller's transaction, and records it.
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<Removed, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let asset = get_in(tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    let datastore_dirs: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT d.path FROM dataset_versions v JOIN datastores d ON d.id = v.datastore_id \
         WHERE v.dataset_id = $1 AND v.organization_id = $2",
    )
    .bind(asset.id)
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let versions = sqlx::query(
        "DELETE FROM dataset_versions WHERE dataset_id = $1 AND organization_id = $2 \
         AND workspace_id = $3",
    )
    .bind(asset.id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM datasets WHERE id = $1 AND organization_id = $2 AND workspace_id = $3",
    )
    .bind(asset.id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "versions": versions });
    record(tx, ws, actor, Action::DatasetsDelete, &asset.name, details).await?;
    Ok(Removed { name: asset.name, datastore_dirs })
}
