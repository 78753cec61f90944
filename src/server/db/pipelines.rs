//! Pipelines of a workspace: listing (searched, filtered by their last run's status, sorted by
//! name, last change or size, paged by key), creation, changes to the graph and deletion with
//! every run, each change audited in its own transaction. Runs live in `pipeline_runs`.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::listing::Cursor;
use crate::domain::pipeline::{PipelineGraph, PipelineName, PipelineSort};
use crate::domain::{Description, RunStatus, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct PipelineRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub graph: PipelineGraph,
    pub step_count: i64,
    pub last_run_status: Option<RunStatus>,
    pub run_count: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the pipeline name is taken")]
    NameTaken,
    #[error("no such pipeline")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "id, name, description, tags, graph, step_count, last_run_status, \
     run_count, created_by_name, created_at, updated_at";

pub(super) fn graph_from_json(text: &str) -> Result<PipelineGraph, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(e.into()))
}

pub(super) fn graph_to_json(graph: &PipelineGraph) -> String {
    serde_json::to_string(graph).unwrap_or_else(|_| "{\"steps\":[]}".to_owned())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<PipelineRecord, sqlx::Error> {
    let last: String = row.try_get("last_run_status")?;
    Ok(PipelineRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        graph: graph_from_json(&row.try_get::<String, _>("graph")?)?,
        step_count: row.try_get("step_count")?,
        last_run_status: RunStatus::parse(&last).ok(),
        run_count: row.try_get("run_count")?,
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Where a page that ends at `pipeline` stops, in the order `sort`.
pub fn cursor_after(pipeline: &PipelineRecord, sort: PipelineSort) -> Cursor {
    match sort {
        PipelineSort::NameAscending | PipelineSort::NameDescending => {
            Cursor::Name(pipeline.name.to_lowercase())
        }
        PipelineSort::RecentlyChanged | PipelineSort::LeastRecentlyChanged => {
            Cursor::Number(pipeline.updated_at, pipeline.id)
        }
        PipelineSort::MostSteps | PipelineSort::FewestSteps => {
            Cursor::Number(pipeline.step_count, pipeline.id)
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct PipelineFilter {
    /// Contained in the name, description or tags, ignoring case.
    pub search: Option<String>,
    /// The newest run's status; `Some(None)` for pipelines never run.
    pub last_run: Option<Option<RunStatus>>,
    pub sort: PipelineSort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// The list statement with only the filters in use, so the planner can pick the index that
/// fits them and the order.
fn list_statement(org: i64, ws_id: i64, filter: &PipelineFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("pipelines", (org, ws_id));
    if let Some(last) = &filter.last_run {
        let status = last.map(|s| s.as_str()).unwrap_or_default().to_owned();
        st.equals("last_run_status", Arg::Text(status));
    }
    st.search(filter.search.as_deref(), &NAME_DESCRIPTION_TAGS);
    let order = match filter.sort {
        PipelineSort::NameAscending => Order::name(false),
        PipelineSort::NameDescending => Order::name(true),
        PipelineSort::RecentlyChanged => Order::number("updated_at", true),
        PipelineSort::LeastRecentlyChanged => Order::number("updated_at", false),
        PipelineSort::MostSteps => Order::number("step_count", true),
        PipelineSort::FewestSteps => Order::number("step_count", false),
    };
    let select = format!("SELECT {COLUMNS} FROM pipelines");
    st.keyset_page(&select, &order, filter.after.as_ref(), filter.limit)
}

pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &PipelineFilter,
) -> Result<Vec<PipelineRecord>, sqlx::Error> {
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
    filter: &PipelineFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<PipelineRecord>, sqlx::Error> {
    super::row_by_name(pool, ws, "pipelines", COLUMNS, name)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn count(pool: &Pool, ws: &Authorized<WorkspaceScope>) -> Result<i64, sqlx::Error> {
    super::count_in_workspace(pool, ws, "pipelines").await
}

pub struct PipelineFields<'a> {
    pub description: &'a Description,
    pub tags: &'a Tags,
    pub graph: &'a PipelineGraph,
}

/// What the audit keeps of a graph: enough to see what changed.
fn graph_details(graph: &PipelineGraph) -> serde_json::Value {
    json!({ "steps": graph.steps.len(), "graph": graph.to_text() })
}

pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &PipelineName,
    fields: &PipelineFields<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "INSERT INTO pipelines (organization_id, workspace_id, name, name_key, description, tags, \
         graph, step_count, created_by, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.as_str())
    .bind(name.key())
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(graph_to_json(fields.graph))
    .bind(fields.graph.steps.len() as i64)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now())
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::NameTaken,
        e => e.into(),
    })?;
    let mut details = graph_details(fields.graph);
    details["created"] = json!(true);
    record(&mut tx, ws, actor, Action::PipelinesWrite, name.as_str(), details).await?;
    tx.commit().await?;
    Ok(())
}

/// The pipeline's id and stored name inside a transaction.
pub(super) async fn id_and_name(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT id, name FROM pipelines \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("name")?))).transpose()
}

/// Changes a pipeline's description, tags and graph; runs already submitted keep theirs.
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    fields: &PipelineFields<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name) = id_and_name(&mut tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    sqlx::query(
        "UPDATE pipelines SET description = $1, tags = $2, graph = $3, step_count = $4, \
         updated_at = $5 WHERE id = $6 AND organization_id = $7 AND workspace_id = $8",
    )
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(graph_to_json(fields.graph))
    .bind(fields.graph.steps.len() as i64)
    .bind(now())
    .bind(id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?;
    let mut details = graph_details(fields.graph);
    details["updated"] = json!(true);
    record(&mut tx, ws, actor, Action::PipelinesWrite, &name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a pipeline with its runs.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, name) = id_and_name(&mut tx, ws, name).await?.ok_or(ChangeError::NotFound)?;
    let runs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pipeline_runs WHERE organization_id = $1 AND pipeline_id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    for statement in [
        "DELETE FROM pipeline_run_steps WHERE organization_id = $1 AND workspace_id = $2 AND \
         run_id IN (SELECT id FROM pipeline_runs WHERE organization_id = $1 AND pipeline_id = $3)",
        "DELETE FROM pipeline_runs WHERE organization_id = $1 AND workspace_id = $2 \
         AND pipeline_id = $3",
        "DELETE FROM pipelines WHERE organization_id = $1 AND workspace_id = $2 AND id = $3",
    ] {
        sqlx::query(statement).bind(org).bind(ws_id).bind(id).execute(&mut *tx).await?;
    }
    record(&mut tx, ws, actor, Action::PipelinesDelete, &name, json!({ "runs": runs })).await?;
    tx.commit().await?;
    Ok(())
}
