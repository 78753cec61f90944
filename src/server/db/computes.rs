//! Compute targets of a workspace: listing (searched, filtered, paged by name), creation,
//! settings, power state and deletion, each change audited in its own transaction. Every
//! function takes the caller's proof for the workspace and touches only that workspace's rows.

use serde_json::json;
use sqlx::Row;

use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::compute::{ComputeSizing, PowerAction, VmSize};
use crate::domain::listing::Cursor;
use crate::domain::{ComputeKind, ComputeName, ComputeState, Description, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct ComputeRecord {
    pub id: i64,
    pub name: String,
    pub kind: ComputeKind,
    pub vm_size: String,
    pub min_nodes: i64,
    pub max_nodes: i64,
    pub idle_shutdown_minutes: i64,
    pub owner_user_id: Option<i64>,
    pub owner_name: String,
    pub state: ComputeState,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub state_changed_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the compute name is taken")]
    NameTaken,
    #[error("no such compute")]
    NotFound,
    /// The power action makes no sense in the compute's state (or for its kind).
    #[error("{0}")]
    State(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "id, name, kind, vm_size, min_nodes, max_nodes, idle_shutdown_minutes, \
     owner_user_id, owner_name, state, description, tags, created_by_name, created_at, \
     updated_at, state_changed_at";

fn decode<T>(parsed: Result<T, crate::domain::Invalid>) -> Result<T, sqlx::Error> {
    parsed.map_err(|e| sqlx::Error::Decode(e.0.into()))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<ComputeRecord, sqlx::Error> {
    Ok(ComputeRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: decode(ComputeKind::parse(&row.try_get::<String, _>("kind")?))?,
        vm_size: row.try_get("vm_size")?,
        min_nodes: row.try_get("min_nodes")?,
        max_nodes: row.try_get("max_nodes")?,
        idle_shutdown_minutes: row.try_get("idle_shutdown_minutes")?,
        owner_user_id: row.try_get("owner_user_id")?,
        owner_name: row.try_get("owner_name")?,
        state: decode(ComputeState::parse(&row.try_get::<String, _>("state")?))?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        state_changed_at: row.try_get("state_changed_at")?,
    })
}

#[derive(Clone, Debug, Default)]
pub struct ComputeFilter {
    /// Contained in the name, description or tags, ignoring case.
    pub search: Option<String>,
    pub kind: Option<ComputeKind>,
    pub state: Option<ComputeState>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// The list statement with only the filters in use, so the planner can pick the index that
/// fits them (workspace and name, or workspace, kind and name).
fn list_statement(org: i64, ws_id: i64, filter: &ComputeFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("computes", (org, ws_id));
    if let Some(kind) = filter.kind {
        st.equals("kind", Arg::Text(kind.as_str().to_owned()));
    }
    if let Some(state) = filter.state {
        st.equals("state", Arg::Text(state.as_str().to_owned()));
    }
    st.search(filter.search.as_deref(), &NAME_DESCRIPTION_TAGS);
    let select = format!("SELECT {COLUMNS} FROM computes");
    st.keyset_page(&select, &Order::BY_NAME, filter.after.as_ref(), filter.limit)
}

/// A page of the workspace's compute in name order.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &ComputeFilter,
) -> Result<Vec<ComputeRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, filter);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<ComputeRecord>, sqlx::Error> {
    super::row_by_name(pool, ws, "computes", COLUMNS, name)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// How many compute targets the workspace has, for its overview.
pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "computes").await
}

/// The person an instance is assigned to.
pub struct ComputeOwner {
    pub user_id: i64,
    pub name: String,
}

pub struct NewCompute<'a> {
    pub name: &'a ComputeName,
    pub kind: ComputeKind,
    pub vm_size: &'a VmSize,
    pub sizing: ComputeSizing,
    /// Instances only.
    pub owner: Option<ComputeOwner>,
    pub description: &'a Description,
    pub tags: &'a Tags,
}

/// Adds a compute target, running from the start.
pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewCompute<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let at = now();
    let state = ComputeState::Running;
    sqlx::query(
        "INSERT INTO computes (organization_id, workspace_id, name, name_key, kind, vm_size, \
         min_nodes, max_nodes, idle_shutdown_minutes, owner_user_id, owner_name, state, \
         description, tags, created_by, created_by_name, created_at, updated_at, state_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.name.as_str())
    .bind(new.name.key())
    .bind(new.kind.as_str())
    .bind(new.vm_size.name)
    .bind(new.sizing.min_nodes)
    .bind(new.sizing.max_nodes)
    .bind(new.sizing.idle_shutdown_minutes)
    .bind(new.owner.as_ref().map(|o| o.user_id))
    .bind(new.owner.as_ref().map(|o| o.name.clone()).unwrap_or_default())
    .bind(state.as_str())
    .bind(new.description.as_str())
    .bind(pairs_to_json(new.tags.pairs()))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::NameTaken,
        e => e.into(),
    })?;
    let details = json!({
        "created": true,
        "kind": new.kind.as_str(),
        "vm_size": new.vm_size.name,
        "min_nodes": new.sizing.min_nodes,
        "max_nodes": new.sizing.max_nodes,
        "owner": new.owner.as_ref().map(|o| o.name.clone()),
    });
    record(&mut tx, ws, actor, Action::ComputesWrite, new.name.as_str(), details).await?;
    tx.commit().await?;
    Ok(())
}

pub struct ComputeSettings<'a> {
    pub sizing: ComputeSizing,
    pub description: &'a Description,
    pub tags: &'a Tags,
}

/// Changes a compute target's description, tags, node counts and idle shutdown (its name,
/// kind, size and owner are fixed, as in Azure).
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    settings: &ComputeSettings<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name, _) = id_name_and_state(&mut tx, ws, name).await?;
    sqlx::query(
        "UPDATE computes SET description = $1, tags = $2, min_nodes = $3, max_nodes = $4, \
         idle_shutdown_minutes = $5, updated_at = $6 \
         WHERE id = $7 AND organization_id = $8 AND workspace_id = $9",
    )
    .bind(settings.description.as_str())
    .bind(pairs_to_json(settings.tags.pairs()))
    .bind(settings.sizing.min_nodes)
    .bind(settings.sizing.max_nodes)
    .bind(settings.sizing.idle_shutdown_minutes)
    .bind(now())
    .bind(id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?;
    let details = json!({
        "updated": true,
        "min_nodes": settings.sizing.min_nodes,
        "max_nodes": settings.sizing.max_nodes,
        "idle_shutdown_minutes": settings.sizing.idle_shutdown_minutes,
    });
    record(&mut tx, ws, actor, Action::ComputesWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// The compute's id, stored name, kind and state inside a transaction.
async fn id_name_and_state(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<(i64, String, (ComputeKind, ComputeState)), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT id, name, kind, state FROM computes \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let kind = decode(ComputeKind::parse(&row.try_get::<String, _>("kind")?))?;
    let state = decode(ComputeState::parse(&row.try_get::<String, _>("state")?))?;
    Ok((row.try_get("id")?, row.try_get("name")?, (kind, state)))
}

/// Starts, stops or restarts a compute target, refusing what makes no sense in its state. The
/// update is conditional on the state read, so of two simultaneous stops one is refused.
pub async fn set_state(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    power: PowerAction,
) -> Result<ComputeState, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name, (kind, current)) = id_name_and_state(&mut tx, ws, name).await?;
    if !kind.has_power_controls() {
        return Err(ChangeError::State(
            "Attached compute is started and stopped where it runs, not here.".to_owned(),
        ));
    }
    let next = current.after(power).map_err(|e| ChangeError::State(e.0))?;
    let at = now();
    let changed = sqlx::query(
        "UPDATE computes SET state = $1, state_changed_at = $2, updated_at = $2 \
         WHERE id = $3 AND organization_id = $4 AND workspace_id = $5 AND state = $6",
    )
    .bind(next.as_str())
    .bind(at)
    .bind(id)
    .bind(org)
    .bind(ws_id)
    .bind(current.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ChangeError::State(
            "This compute changed meanwhile; reload and try again.".to_owned(),
        ));
    }
    let action = match power {
        PowerAction::Start => Action::ComputesStart,
        PowerAction::Stop => Action::ComputesStop,
        PowerAction::Restart => Action::ComputesRestart,
    };
    let details = json!({ "from": current.as_str(), "to": next.as_str() });
    record(&mut tx, ws, actor, action, &name, details).await?;
    tx.commit().await?;
    Ok(next)
}

/// Deletes a compute target.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name, (kind, state)) = id_name_and_state(&mut tx, ws, name).await?;
    sqlx::query(
        "DELETE FROM computes WHERE id = $1 AND organization_id = $2 AND workspace_id = $3",
    )
    .bind(id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "kind": kind.as_str(), "state": state.as_str() });
    record(&mut tx, ws, actor, Action::ComputesDelete, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// The plan the database picks for `list` (SQLite's `EXPLAIN QUERY PLAN`, Postgres's
/// `EXPLAIN`), one line per step.
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id): (i64, i64),
    filter: &ComputeFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}
