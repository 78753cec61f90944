//! Online endpoints of a workspace: listing (searched, filtered by state and creation date,
//! sorted and paged by key), creation, settings and deletion with their deployments, each
//! change audited in its own transaction. Deployments live in `deployments`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::endpoint::{AuthMode, EndpointSort, EndpointState};
use crate::domain::listing::Cursor;
use crate::domain::{Description, EndpointName, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct EndpointRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub auth_mode: AuthMode,
    pub state: EndpointState,
    pub deployment_count: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Why a change to an endpoint or one of its deployments did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the endpoint name is taken")]
    NameTaken,
    #[error("the deployment name is taken")]
    DeploymentNameTaken,
    #[error("no such endpoint")]
    NotFound,
    #[error("no such deployment")]
    DeploymentNotFound,
    #[error("no such model version")]
    ModelVersionNotFound,
    /// The model version is archived: retired versions are not deployed.
    #[error("model version {0} {1} is archived")]
    ArchivedVersion(String, i64),
    /// The traffic split breaks a rule; the message says which.
    #[error("{0}")]
    Traffic(String),
    /// The change makes no sense in the deployment's state; the message says why.
    #[error("{0}")]
    State(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "id, name, description, tags, auth_mode, state, deployment_count, \
     created_by_name, created_at, updated_at";

pub(super) fn decode<T>(parsed: Result<T, crate::domain::Invalid>) -> Result<T, sqlx::Error> {
    parsed.map_err(|e| sqlx::Error::Decode(e.0.into()))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<EndpointRecord, sqlx::Error> {
    Ok(EndpointRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        auth_mode: decode(AuthMode::parse(&row.try_get::<String, _>("auth_mode")?))?,
        state: decode(EndpointState::parse(&row.try_get::<String, _>("state")?))?,
        deployment_count: row.try_get("deployment_count")?,
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Where a page that ends at `endpoint` stops, in the order `sort`.
pub fn cursor_after(endpoint: &EndpointRecord, sort: EndpointSort) -> Cursor {
    if sort.by_name() {
        Cursor::Name(endpoint.name.to_lowercase())
    } else {
        Cursor::Number(endpoint.created_at, endpoint.id)
    }
}

#[derive(Clone, Debug, Default)]
pub struct EndpointFilter {
    /// Contained in the name, description or tags, ignoring case.
    pub search: Option<String>,
    pub state: Option<EndpointState>,
    pub created_since: Option<i64>,
    /// Exclusive.
    pub created_until: Option<i64>,
    pub sort: EndpointSort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// The list statement with only the filters in use, so the planner can pick the index that
/// fits them (by name, by creation, each with or without the state).
fn list_statement(org: i64, ws_id: i64, filter: &EndpointFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("endpoints", (org, ws_id));
    if let Some(state) = filter.state {
        st.equals("state", Arg::Text(state.as_str().to_owned()));
    }
    st.within("created_at", filter.created_since, filter.created_until);
    st.search(filter.search.as_deref(), &NAME_DESCRIPTION_TAGS);
    let descending = filter.sort.descending();
    let order = if filter.sort.by_name() {
        Order::name(descending)
    } else {
        Order::number("created_at", descending)
    };
    let select = format!("SELECT {COLUMNS} FROM endpoints");
    st.keyset_page(&select, &order, filter.after.as_ref(), filter.limit)
}

/// A page of the workspace's endpoints.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &EndpointFilter,
) -> Result<Vec<EndpointRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, filter);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<EndpointRecord>, sqlx::Error> {
    super::row_by_name(pool, ws, "endpoints", COLUMNS, name)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// How many endpoints the workspace has, for its overview.
pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "endpoints").await
}

pub struct EndpointFields<'a> {
    pub description: &'a Description,
    pub tags: &'a Tags,
    pub auth_mode: AuthMode,
}

/// Adds an endpoint, with no deployments yet.
pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &EndpointName,
    fields: &EndpointFields<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let at = now();
    sqlx::query(
        "INSERT INTO endpoints (organization_id, workspace_id, name, name_key, description, tags, \
         auth_mode, state, deployment_count, created_by, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $11)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.as_str())
    .bind(name.key())
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(fields.auth_mode.as_str())
    .bind(EndpointState::NoDeployments.as_str())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::NameTaken,
        e => e.into(),
    })?;
    let details = json!({ "created": true, "auth_mode": fields.auth_mode.as_str() });
    record(&mut tx, ws, actor, Action::EndpointsWrite, name.as_str(), details).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes the endpoint for a change: touching its row first makes concurrent changes to the same
/// endpoint (and its deployments) wait for each other, on both backends, so each one checks
/// the traffic rules against what the other committed. Returns its id and stored name.
pub(super) async fn lock(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<(i64, String), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let key = name.trim().to_ascii_lowercase();
    let touched = sqlx::query(
        "UPDATE endpoints SET updated_at = $1 \
         WHERE organization_id = $2 AND workspace_id = $3 AND name_key = $4",
    )
    .bind(now())
    .bind(org)
    .bind(ws_id)
    .bind(&key)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if touched == 0 {
        return Err(ChangeError::NotFound);
    }
    let row = sqlx::query(
        "SELECT id, name FROM endpoints \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(&key)
    .fetch_one(&mut *tx)
    .await?;
    Ok((row.try_get("id")?, row.try_get("name")?))
}

/// Recomputes the endpoint's deployment count and state after its deployments changed.
pub(super) async fn refresh_state(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    endpoint_id: i64,
) -> Result<EndpointState, sqlx::Error> {
    let count = |stopped_only: bool| {
        let state = if stopped_only { " AND state = 'stopped'" } else { "" };
        format!(
            "SELECT COUNT(*) FROM endpoint_deployments \
             WHERE organization_id = $1 AND endpoint_id = $2{state}"
        )
    };
    let all: i64 =
        sqlx::query_scalar(&count(false)).bind(org).bind(endpoint_id).fetch_one(&mut *tx).await?;
    let stopped: i64 =
        sqlx::query_scalar(&count(true)).bind(org).bind(endpoint_id).fetch_one(&mut *tx).await?;
    let state = EndpointState::of(all, stopped);
    sqlx::query(
        "UPDATE endpoints SET state = $1, deployment_count = $2 \
         WHERE id = $3 AND organization_id = $4",
    )
    .bind(state.as_str())
    .bind(all)
    .bind(endpoint_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    Ok(state)
}

/// Changes an endpoint's description, tags and authentication (its name is its identity).
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    fields: &EndpointFields<'_>,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name) = lock(&mut tx, ws, name).await?;
    sqlx::query(
        "UPDATE endpoints SET description = $1, tags = $2, auth_mode = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(fields.auth_mode.as_str())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "updated": true, "auth_mode": fields.auth_mode.as_str() });
    record(&mut tx, ws, actor, Action::EndpointsWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an endpoint with all its deployments, in one transaction; returns how many
/// deployments went.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<i64, ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name) = lock(&mut tx, ws, name).await?;
    let deployments = sqlx::query(
        "DELETE FROM endpoint_deployments WHERE endpoint_id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM endpoints WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    let deployments = i64::try_from(deployments).unwrap_or(i64::MAX);
    let details = json!({ "deleted": true, "deployments": deployments });
    record(&mut tx, ws, actor, Action::EndpointsDelete, &name, details).await?;
    tx.commit().await?;
    Ok(deployments)
}

/// The plan the database picks for `list`, one line per step.
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id): (i64, i64),
    filter: &EndpointFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}
