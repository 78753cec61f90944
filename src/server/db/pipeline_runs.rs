//! Runs of a pipeline: submitted with a copy of the graph, one row per step; steps change
//! status by the rules of `domain::pipeline_run`, and the run's status, start, end and
//! duration follow. Each change is audited under the pipeline's name.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pipelines::{graph_from_json, graph_to_json, id_and_name};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, plan, Arg};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::pipeline::PipelineGraph;
use crate::domain::{pipeline_run, Invalid, RunStatus};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct StepRecord {
    pub name: String,
    pub status: RunStatus,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct PipelineRunRecord {
    pub id: i64,
    pub number: i64,
    pub status: RunStatus,
    pub graph: PipelineGraph,
    pub submitted_by: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    /// Seconds; `None` until the run has ended.
    pub duration: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such pipeline, run or step")]
    NotFound,
    /// The rules forbid the change; the message says why.
    #[error("{0}")]
    Refused(Invalid),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn status_of(text: &str) -> Result<RunStatus, sqlx::Error> {
    RunStatus::parse(text).map_err(|e| sqlx::Error::Decode(e.0.into()))
}

const COLUMNS: &str = "id, number, status, graph, submitted_by_name, created_at, started_at, \
     ended_at, duration";

fn from_row(row: &sqlx::any::AnyRow) -> Result<PipelineRunRecord, sqlx::Error> {
    let duration: i64 = row.try_get("duration")?;
    Ok(PipelineRunRecord {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        graph: graph_from_json(&row.try_get::<String, _>("graph")?)?,
        submitted_by: row.try_get("submitted_by_name")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        duration: (duration >= 0).then_some(duration),
    })
}

#[derive(Clone, Debug, Default)]
pub struct RunFilter {
    pub status: Option<RunStatus>,
    /// The number of the last run of the previous page (newest first).
    pub before: Option<i64>,
    pub limit: i64,
}

fn list_statement(
    org: i64,
    ws_id: i64,
    pipeline_id: i64,
    filter: &RunFilter,
) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Int(pipeline_id), Arg::Int(org), Arg::Int(ws_id)];
    let mut conditions = vec![
        "pipeline_id = $1".to_owned(),
        "organization_id = $2".to_owned(),
        "workspace_id = $3".to_owned(),
    ];
    let mut arg = |value: Arg| {
        args.push(value);
        format!("${}", args.len())
    };
    if let Some(status) = filter.status {
        conditions.push(format!("status = {}", arg(Arg::Text(status.as_str().to_owned()))));
    }
    if let Some(before) = filter.before {
        conditions.push(format!("number < {}", arg(Arg::Int(before))));
    }
    let limit = arg(Arg::Int(filter.limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM pipeline_runs WHERE {} ORDER BY number DESC LIMIT {limit}",
        conditions.join(" AND ")
    );
    (sql, args)
}

/// A page of a pipeline's runs, newest first.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    pipeline_id: i64,
    filter: &RunFilter,
) -> Result<Vec<PipelineRunRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, pipeline_id, filter);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id, pipeline_id): (i64, i64, i64),
    filter: &RunFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, pipeline_id, filter);
    plan(conn, backend, &sql, args).await
}

/// One run of the pipeline with its steps in graph order.
pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    pipeline_id: i64,
    number: i64,
) -> Result<Option<(PipelineRunRecord, Vec<StepRecord>)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let Some(run) = run_in(&mut conn, ws, pipeline_id, number).await? else { return Ok(None) };
    let steps = steps_of(&mut conn, ws, run.id).await?;
    Ok(Some((run, steps)))
}

async fn run_in(
    conn: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    pipeline_id: i64,
    number: i64,
) -> Result<Option<PipelineRunRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pipeline_runs \
         WHERE organization_id = $1 AND workspace_id = $2 AND pipeline_id = $3 AND number = $4"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(pipeline_id)
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

async fn steps_of(
    conn: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<StepRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "SELECT name, status, started_at, ended_at FROM pipeline_run_steps \
         WHERE organization_id = $1 AND workspace_id = $2 AND run_id = $3 ORDER BY position",
    )
    .bind(org)
    .bind(ws_id)
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        Ok(StepRecord {
            name: row.try_get("name")?,
            status: status_of(&row.try_get::<String, _>("status")?)?,
            started_at: row.try_get("started_at")?,
            ended_at: row.try_get("ended_at")?,
        })
    })
    .collect()
}

/// Submits a run of the pipeline named `pipeline` with `graph` (the pipeline's graph, its
/// environments resolved to versions): queued, every step queued. Returns its number.
pub async fn submit(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    pipeline: &str,
    graph: &PipelineGraph,
) -> Result<i64, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (pipeline_id, name) =
        id_and_name(&mut tx, ws, pipeline).await?.ok_or(ChangeError::NotFound)?;
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(number) FROM pipeline_runs WHERE organization_id = $1 AND pipeline_id = $2",
    )
    .bind(org)
    .bind(pipeline_id)
    .fetch_one(&mut *tx)
    .await?;
    let number = last.unwrap_or(0) + 1;
    let at = now();
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO pipeline_runs (organization_id, workspace_id, pipeline_id, number, status, \
         graph, submitted_by, submitted_by_name, created_at) \
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8) RETURNING id",
    )
    .bind(org)
    .bind(ws_id)
    .bind(pipeline_id)
    .bind(number)
    .bind(graph_to_json(graph))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        // Two submissions at once took the same number; the second may simply try again.
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::Refused(Invalid::new(
            "Another run was submitted at the same moment; submit again.",
        )),
        e => e.into(),
    })?;
    for (position, step) in graph.steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pipeline_run_steps (organization_id, workspace_id, run_id, position, \
             name, status) VALUES ($1, $2, $3, $4, $5, 'queued')",
        )
        .bind(org)
        .bind(ws_id)
        .bind(run_id)
        .bind(position as i64)
        .bind(&step.name)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE pipelines SET run_count = run_count + 1, last_run_status = 'queued' \
         WHERE id = $1 AND organization_id = $2",
    )
    .bind(pipeline_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "run": number, "submitted": true, "steps": graph.steps.len() });
    record(&mut tx, ws, actor, Action::PipelinesWrite, &name, details).await?;
    tx.commit().await?;
    Ok(number)
}

/// What is changed: one step to a status, or the whole run canceled.
pub enum RunChange<'a> {
    Step { name: &'a str, status: RunStatus },
    CancelAll,
}

/// Applies `change` to run `number` of the pipeline, with what follows from it (dependents
/// canceled, the run's status and times). Returns the run's status after it.
pub async fn change(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (pipeline, number): (&str, i64),
    change: RunChange<'_>,
) -> Result<RunStatus, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (pipeline_id, name) =
        id_and_name(&mut tx, ws, pipeline).await?.ok_or(ChangeError::NotFound)?;
    let run = run_in(&mut tx, ws, pipeline_id, number).await?.ok_or(ChangeError::NotFound)?;
    let before: Vec<RunStatus> =
        steps_of(&mut tx, ws, run.id).await?.iter().map(|s| s.status).collect();
    let (after, details) = match change {
        RunChange::Step { name: step, status } => {
            let index = run.graph.index_of(step).ok_or(ChangeError::NotFound)?;
            let after = pipeline_run::change_step(&run.graph, &before, index, status)
                .map_err(ChangeError::Refused)?;
            let details = json!({
                "run": number,
                "step": run.graph.steps[index].name,
                "from": before[index].as_str(),
                "to": status.as_str(),
            });
            (after, details)
        }
        RunChange::CancelAll => {
            let after = pipeline_run::cancel_all(&before).map_err(ChangeError::Refused)?;
            (after, json!({ "run": number, "canceled": true }))
        }
    };
    let at = now();
    for (position, (old, new)) in before.iter().zip(&after).enumerate() {
        if old == new {
            continue;
        }
        // Conditional on the status read, so of two simultaneous changes one is refused.
        let changed = sqlx::query(
            "UPDATE pipeline_run_steps SET status = $1, \
             started_at = CASE WHEN $2 = 1 AND started_at IS NULL THEN $3 ELSE started_at END, \
             ended_at = CASE WHEN $4 = 1 THEN $3 ELSE ended_at END \
             WHERE run_id = $5 AND position = $6 AND status = $7 AND organization_id = $8",
        )
        .bind(new.as_str())
        .bind(i64::from(*new != RunStatus::Canceled))
        .bind(at)
        .bind(i64::from(new.is_final()))
        .bind(run.id)
        .bind(position as i64)
        .bind(old.as_str())
        .bind(org)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(ChangeError::Refused(Invalid::new(
                "This run changed meanwhile; reload and try again.",
            )));
        }
    }
    let status = pipeline_run::run_status(&after);
    let started = run.started_at.or((status != RunStatus::Queued).then_some(at));
    let ended = status.is_final().then_some(at);
    let duration = match (started, ended) {
        (Some(s), Some(e)) => e - s,
        _ => -1,
    };
    sqlx::query(
        "UPDATE pipeline_runs SET status = $1, started_at = $2, ended_at = $3, duration = $4 \
         WHERE id = $5 AND organization_id = $6 AND workspace_id = $7",
    )
    .bind(status.as_str())
    .bind(started)
    .bind(ended)
    .bind(duration)
    .bind(run.id)
    .bind(org)
    .bind(ws_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE pipelines SET last_run_status = $1 WHERE id = $2 AND organization_id = $3 \
         AND $4 = (SELECT MAX(number) FROM pipeline_runs WHERE pipeline_id = $2)",
    )
    .bind(status.as_str())
    .bind(pipeline_id)
    .bind(org)
    .bind(number)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, ws, actor, Action::PipelinesWrite, &name, details).await?;
    tx.commit().await?;
    Ok(status)
}
