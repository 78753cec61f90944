//! Data assets: one row per name carrying a copy of its latest version, listed (searched,
//! filtered by format and date, sorted by name, time or size, paged by key), read, counted and
//! deleted. Versions live in `dataset_versions`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::pairs_from_json;
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg};
use super::{tenant, Pool};
use crate::authz::Action;
use crate::domain::dataset::{DataFormat, DatasetSort};
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

/// Where the previous page ended: the last row's sort key (name key, time or size) and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatasetCursor {
    Name(String),
    Number(i64, i64),
}

impl DatasetCursor {
    /// The cursor after `row` in the order `sort`.
    pub fn after(row: &DatasetRecord, sort: DatasetSort) -> Self {
        match sort {
            DatasetSort::Name => Self::Name(row.name.to_ascii_lowercase()),
            DatasetSort::Newest | DatasetSort::Oldest => Self::Number(row.latest_at, row.id),
            DatasetSort::Largest | DatasetSort::Smallest => {
                Self::Number(row.size.unwrap_or(-1), row.id)
            }
        }
    }

    /// How it travels in a URL: the name key, or `id.value`.
    pub fn encode(&self) -> String {
        match self {
            Self::Name(key) => key.clone(),
            Self::Number(value, id) => format!("{id}.{value}"),
        }
    }

    /// Reads a cursor for `sort`; `None` when it does not fit (an edited or stale link).
    pub fn decode(text: &str, sort: DatasetSort) -> Option<Self> {
        if sort == DatasetSort::Name {
            return Some(Self::Name(text.to_ascii_lowercase()));
        }
        let (id, value) = text.split_once('.')?;
        Some(Self::Number(value.parse().ok()?, id.parse().ok()?))
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
    pub after: Option<DatasetCursor>,
    pub limit: i64,
}

/// The list statement with only the filters in use, so the planner can pick the index that
/// fits them (workspace, [format,] then the sort key).
fn list_statement(org: i64, ws_id: i64, filter: &DatasetFilter) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Int(org), Arg::Int(ws_id)];
    let mut conditions = vec!["organization_id = $1".to_owned(), "workspace_id = $2".to_owned()];
    let mut arg = |value: Arg| {
        args.push(value);
        format!("${}", args.len())
    };
    if let Some(format) = filter.format {
        conditions.push(format!("latest_format = {}", arg(Arg::Text(format.as_str().into()))));
    }
    if let Some(since) = filter.since {
        conditions.push(format!("latest_at >= {}", arg(Arg::Int(since))));
    }
    if let Some(until) = filter.until {
        conditions.push(format!("latest_at < {}", arg(Arg::Int(until))));
    }
    if let Some(search) = &filter.search {
        let a = arg(Arg::Text(format!("%{}%", search.to_lowercase())));
        conditions.push(format!(
            "(name_key LIKE {a} OR LOWER(description) LIKE {a} OR LOWER(tags) LIKE {a})"
        ));
    }
    let (key, descending) = match filter.sort {
        DatasetSort::Name => ("name_key", false),
        DatasetSort::Newest => ("latest_at", true),
        DatasetSort::Oldest => ("latest_at", false),
        DatasetSort::Largest => ("latest_size", true),
        DatasetSort::Smallest => ("latest_size", false),
    };
    let (direction, beyond) = if descending { ("DESC", "<") } else { ("ASC", ">") };
    match &filter.after {
        Some(DatasetCursor::Name(name)) if key == "name_key" => {
            conditions.push(format!("name_key > {}", arg(Arg::Text(name.clone()))));
        }
        Some(DatasetCursor::Number(value, id)) if key != "name_key" => {
            let (v, i) = (arg(Arg::Int(*value)), arg(Arg::Int(*id)));
            conditions.push(format!("({key}, id) {beyond} ({v}, {i})"));
        }
        _ => {}
    }
    let order = if key == "name_key" {
        "name_key".to_owned()
    } else {
        format!("{key} {direction}, id {direction}")
    };
    let limit = arg(Arg::Int(filter.limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM datasets WHERE {} ORDER BY {order} LIMIT {limit}",
        conditions.join(" AND ")
    );
    (sql, args)
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
