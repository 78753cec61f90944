//! Environments: immutable, numbered versions per name. Registering a name again adds the
//! next version.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::environment::EnvironmentName;
use crate::domain::listing::{Cursor, PAGE_READ};
use crate::domain::{Description, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct EnvironmentRecord {
    pub name: String,
    pub version: i64,
    pub base_image: String,
    pub conda_spec: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "name, version, base_image, conda_spec, description, tags, created_by_name, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<EnvironmentRecord, sqlx::Error> {
    Ok(EnvironmentRecord {
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        base_image: row.try_get("base_image")?,
        conda_spec: row.try_get("conda_spec")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Each environment's latest version, by name, after `after`, optionally searched
/// (name, image, description, tags).
pub async fn list_latest(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    search: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<EnvironmentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = latest_statement((org, ws_id), search, after, limit);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

fn latest_statement(
    tenant: (i64, i64),
    search: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("e", tenant);
    st.condition(
        "e.version = (SELECT MAX(version) FROM environments l \
         WHERE l.workspace_id = e.workspace_id AND l.name_key = e.name_key)"
            .to_owned(),
    );
    let searched = ["e.name_key", "LOWER(e.base_image)", "LOWER(e.description)", "LOWER(e.tags)"];
    st.search(search, &searched);
    let select = format!("SELECT {COLUMNS} FROM environments e");
    st.keyset_page(&select, &Order::BY_NAME, after, limit)
}

/// The plan the database picks for `list_latest` (see `statement::plan`).
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    tenant: (i64, i64),
    (search, after): (Option<&str>, Option<&Cursor>),
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = latest_statement(tenant, search, after, PAGE_READ);
    super::statement::plan(conn, backend, &sql, args).await
}

/// How many environments (names, not versions) the workspace has.
pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT name_key) FROM environments \
         WHERE organization_id = $1 AND workspace_id = $2",
    )
    .bind(org)
    .bind(ws_id)
    .fetch_one(pool)
    .await
}

/// Every version of one environment, newest first.
pub async fn versions(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Vec<EnvironmentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM environments \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3 ORDER BY version DESC"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name.to_ascii_lowercase())
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub struct NewEnvironment<'a> {
    pub name: &'a EnvironmentName,
    pub base_image: &'a str,
    pub conda_spec: &'a str,
    pub description: &'a Description,
    pub tags: &'a Tags,
}

/// Registers the next version of `name` (1 for a new name); returns its number. Two
/// registrations at once cannot take the same number: the unique key refuses the second,
/// which is retried.
pub async fn register(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewEnvironment<'_>,
) -> Result<i64, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = super::begin(pool).await?;
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM environments \
             WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
        )
        .bind(org)
        .bind(ws_id)
        .bind(new.name.key())
        .fetch_one(&mut *tx)
        .await?;
        // The first version's spelling of the name is kept for all versions.
        let inserted = sqlx::query(
            "INSERT INTO environments (organization_id, workspace_id, name, name_key, version, \
             base_image, conda_spec, description, tags, created_by_name, created_at) \
             VALUES ($1, $2, COALESCE((SELECT name FROM environments WHERE workspace_id = $2 \
             AND name_key = $4 AND version = 1), $3), $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(org)
        .bind(ws_id)
        .bind(new.name.as_str())
        .bind(new.name.key())
        .bind(next)
        .bind(new.base_image)
        .bind(new.conda_spec)
        .bind(new.description.as_str())
        .bind(pairs_to_json(new.tags.pairs()))
        .bind(&actor.name)
        .bind(now())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && attempt < 3 => continue,
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        let details = json!({ "version": next, "image": new.base_image });
        record(&mut tx, ws, actor, Action::EnvironmentsWrite, new.name.as_str(), details).await?;
        tx.commit().await?;
        return Ok(next);
    }
}

/// Deletes one version; `false` when there is no such version.
pub async fn delete_version(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let deleted = sqlx::query(
        "DELETE FROM environments \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3 AND version = $4",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.to_ascii_lowercase())
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Ok(false);
    }
    record(&mut tx, ws, actor, Action::EnvironmentsDelete, name, json!({ "version": version }))
        .await?;
    tx.commit().await?;
    Ok(true)
}
