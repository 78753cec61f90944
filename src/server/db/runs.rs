//! Runs of an experiment: listing (filtered, sorted, paged by key so pages neither skip nor
//! repeat rows while runs arrive), creation, state changes and deletion. Metrics and logs live
//! in `run_metrics` and `run_logs`.

use serde_json::json;
use sqlx::Row;

use super::statement::{bind_all, Arg, Order, Statement, CHUNK};

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::listing::{Cursor, SortKey};
use crate::domain::{Params, RunSort, RunStatus, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct RunRecord {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub experiment: String,
    pub experiment_id: i64,
    pub status: RunStatus,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub entry_point: String,
    pub params: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    /// Seconds; `None` until the run has started and ended.
    pub duration: Option<i64>,
    /// When it was deleted through the tracking API (restorable until purged); the studio
    /// never reads deleted runs.
    pub deleted_at: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such run or experiment")]
    NotFound,
    #[error("a {from} run cannot become {to}")]
    Transition { from: &'static str, to: &'static str },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Where a page that ends at `run` stops, in the order `sort`.
pub fn cursor_after(run: &RunRecord, sort: RunSort) -> Cursor {
    match sort {
        RunSort::Newest | RunSort::Oldest => Cursor::Number(run.created_at, run.id),
        RunSort::NameAscending | RunSort::NameDescending => {
            Cursor::Text(run.display_name.to_lowercase(), run.id)
        }
        RunSort::Longest | RunSort::Shortest => Cursor::Number(run.duration.unwrap_or(-1), run.id),
    }
}

#[derive(Clone, Debug, Default)]
pub struct RunFilter {
    pub experiment_id: Option<i64>,
    /// Contained in the display name, id or tags, ignoring case.
    pub search: Option<String>,
    pub status: Option<RunStatus>,
    pub user_id: Option<i64>,
    pub created_since: Option<i64>,
    pub created_until: Option<i64>,
    pub sort: RunSort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

pub(super) const COLUMNS: &str = "r.id, r.name, r.display_name, e.name AS experiment, \
     r.experiment_id, r.status, r.user_id, r.user_name, r.entry_point, r.params, r.tags, \
     r.created_at, r.started_at, r.ended_at, r.duration, r.deleted_at";

pub(super) fn from_row(row: &sqlx::any::AnyRow) -> Result<RunRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let duration: i64 = row.try_get("duration")?;
    Ok(RunRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        experiment: row.try_get("experiment")?,
        experiment_id: row.try_get("experiment_id")?,
        status: RunStatus::parse(&status).map_err(|e| sqlx::Error::Decode(e.0.into()))?,
        user_id: row.try_get("user_id")?,
        user_name: row.try_get("user_name")?,
        entry_point: row.try_get("entry_point")?,
        params: pairs_from_json(&row.try_get::<String, _>("params")?),
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        duration: (duration >= 0).then_some(duration),
        deleted_at: row.try_get("deleted_at")?,
    })
}

/// One page of runs in the workspace (or one experiment of it).
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    filter: &RunFilter,
) -> Result<Vec<RunRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement(org, ws_id, filter);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

/// The plan the database picks for `list` (SQLite's `EXPLAIN QUERY PLAN`, Postgres's
/// `EXPLAIN`), one line per step: for the checks that lists use indexes at scale.
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    (org, ws_id): (i64, i64),
    filter: &RunFilter,
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(org, ws_id, filter);
    super::statement::plan(conn, backend, &sql, args).await
}

fn list_statement(org: i64, ws_id: i64, filter: &RunFilter) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("r", (org, ws_id));
    st.condition("r.deleted_at IS NULL".to_owned());
    if let Some(experiment) = filter.experiment_id {
        st.equals("r.experiment_id", Arg::Int(experiment));
    }
    if let Some(status) = filter.status {
        st.equals("r.status", Arg::Text(status.as_str().to_owned()));
    }
    if let Some(user) = filter.user_id {
        st.equals("r.user_id", Arg::Int(user));
    }
    st.within("r.created_at", filter.created_since, filter.created_until);
    st.search(filter.search.as_deref(), &["r.display_key", "r.name", "LOWER(r.tags)"]);
    let by = |column, key, descending| Order { column, id: "r.id", key, descending };
    let order = match filter.sort {
        // By creation time rather than id: the same order in practice, but a date range is
        // then read off the one index that also gives the order (no sorting a million rows).
        RunSort::Newest => by("r.created_at", SortKey::Number, true),
        RunSort::Oldest => by("r.created_at", SortKey::Number, false),
        RunSort::NameAscending => by("r.display_key", SortKey::Text, false),
        RunSort::NameDescending => by("r.display_key", SortKey::Text, true),
        RunSort::Longest => by("r.duration", SortKey::Number, true),
        RunSort::Shortest => by("r.duration", SortKey::Number, false),
    };
    let select =
        format!("SELECT {COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id");
    st.keyset_page(&select, &order, filter.after.as_ref(), filter.limit)
}

/// Runs by their ids (names) in the workspace, in the order asked; unknown names are skipped.
pub async fn by_names(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    names: &[String],
) -> Result<Vec<RunRecord>, sqlx::Error> {
    let mut found = Vec::with_capacity(names.len());
    for name in names {
        if let Some(run) = get(pool, ws, name).await? {
            found.push(run);
        }
    }
    Ok(found)
}

/// Runs of the workspace by their row ids, deleted or not, in the order asked (a search's
/// page); ids of other workspaces are skipped.
pub async fn by_row_ids(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    ids: &[i64],
) -> Result<Vec<RunRecord>, sqlx::Error> {
    let mut found = Vec::with_capacity(ids.len());
    let statements = Statement::in_workspace_among("r", tenant(ws), "id", ids);
    for (st, chunk) in statements.into_iter().zip(ids.chunks(CHUNK)) {
        let sql = format!(
            "SELECT {COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {}",
            st.conditions.join(" AND ")
        );
        let rows = bind_all(sqlx::query(&sql), st.args).fetch_all(pool).await?;
        let mut records = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
        for id in chunk {
            if let Some(at) = records.iter().position(|r| r.id == *id) {
                found.push(records.swap_remove(at));
            }
        }
    }
    Ok(found)
}

/// A run of the workspace that is not deleted.
pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<RunRecord>, sqlx::Error> {
    find(pool, ws, name, "AND r.deleted_at IS NULL").await
}

/// A run of the workspace, deleted or not (the tracking API shows deleted runs as such).
pub async fn get_including_deleted(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<RunRecord>, sqlx::Error> {
    find(pool, ws, name, "").await
}

async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
    deleted: &str,
) -> Result<Option<RunRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id \
         WHERE r.organization_id = $1 AND r.workspace_id = $2 AND r.name = $3 {deleted}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub struct NewRun<'a> {
    pub experiment: &'a str,
    pub name: String,
    pub display_name: String,
    pub status: RunStatus,
    pub entry_point: String,
    pub params: &'a Params,
    pub tags: &'a Tags,
}

/// Adds a run to an experiment of the workspace, submitted by the proof's holder.
pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewRun<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let experiment: i64 = sqlx::query(
        "SELECT id FROM experiments WHERE organization_id = $1 AND workspace_id = $2 \
         AND name_key = $3 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(ws_id)
    .bind(new.experiment.to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?
    .try_get("id")?;
    let at = now();
    let started = (new.status != RunStatus::Queued).then_some(at);
    let ended = new.status.is_final().then_some(at);
    sqlx::query(
        "INSERT INTO runs (organization_id, workspace_id, experiment_id, name, display_name, \
         display_key, status, user_id, user_name, entry_point, params, tags, created_at, \
         started_at, ended_at, duration) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(experiment)
    .bind(&new.name)
    .bind(&new.display_name)
    .bind(new.display_name.to_lowercase())
    .bind(new.status.as_str())
    .bind(ws.user_id())
    .bind(&actor.name)
    .bind(&new.entry_point)
    .bind(pairs_to_json(new.params.pairs()))
    .bind(pairs_to_json(new.tags.pairs()))
    .bind(at)
    .bind(started)
    .bind(ended)
    .bind(if ended.is_some() { 0 } else { -1 })
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE experiments SET run_count = run_count + 1, last_run_at = $1 \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(at)
    .bind(experiment)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details =
        json!({ "run": new.name, "display_name": new.display_name, "experiment": new.experiment });
    record(&mut tx, ws, actor, Action::RunsSubmit, &new.name, details).await?;
    tx.commit().await?;
    Ok(())
}

/// The run's id and status inside a transaction, locked against a concurrent change where
/// the backend supports it.
pub(super) async fn id_and_status(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<(i64, RunStatus, Option<i64>), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT id, status, started_at FROM runs \
         WHERE organization_id = $1 AND workspace_id = $2 AND name = $3 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let status: String = row.try_get("status")?;
    let status = RunStatus::parse(&status).map_err(|e| sqlx::Error::Decode(e.0.into()))?;
    Ok((row.try_get("id")?, status, row.try_get("started_at")?))
}

/// Moves a run to `next` (recording when it started and ended) inside the caller's transaction.
pub(super) async fn set_status(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
    next: RunStatus,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let (id, current, started_at) = id_and_status(tx, ws, name).await?;
    if current == next {
        return Ok(());
    }
    if !current.may_become(next) {
        return Err(ChangeError::Transition { from: current.as_str(), to: next.as_str() });
    }
    let at = now();
    let started = started_at.unwrap_or(at);
    let (ended, duration) = if next.is_final() { (Some(at), at - started) } else { (None, -1) };
    sqlx::query(
        "UPDATE runs SET status = $1, started_at = $2, ended_at = $3, duration = $4 \
         WHERE id = $5 AND organization_id = $6",
    )
    .bind(next.as_str())
    .bind(started)
    .bind(ended)
    .bind(duration)
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "run": name, "from": current.as_str(), "to": next.as_str() });
    record(tx, ws, actor, Action::RunsWrite, name, details).await?;
    Ok(())
}

/// Deletes a run with its metrics and logs. Model versions registered from it stay, no longer
/// linked to a run.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (id, _, _) = id_and_status(&mut tx, ws, name).await?;
    sqlx::query(
        "UPDATE experiments SET run_count = run_count - 1 WHERE organization_id = $1 \
         AND id = (SELECT experiment_id FROM runs WHERE id = $2 AND organization_id = $1)",
    )
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    remove_rows(&mut tx, org, id).await?;
    record(&mut tx, ws, actor, Action::RunsDelete, name, json!({ "run": name })).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes run `id`'s row and everything recorded about it (not its files), detaching model
/// versions registered from it. The caller keeps the experiment's run count.
pub(super) async fn remove_rows(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
) -> Result<(), sqlx::Error> {
    super::model_versions::detach_runs(tx, org, "$2", id).await?;
    for table in super::workspace_contents::RUN_TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE run_id = $1 AND organization_id = $2"))
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM runs WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
