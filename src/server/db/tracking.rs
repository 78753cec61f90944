//! What the MLflow tracking API needs beyond the studio's reads and writes: experiments by id,
//! editing a run's parameters and tags in place, metric points with their own timestamps, a
//! metric's history page by page, and the runs a search looks through. Every function takes
//! the caller's proof for the workspace and touches only that workspace's rows.

use sqlx::Row;

use super::experiments::{self, ExperimentRecord};
use super::pairs::{pairs_from_json, pairs_to_json};
use super::runs::ChangeError;
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Statement};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::run::MetricPoint;
use crate::server::authz::proof::Authorized;

/// The experiment with this id, if it is in the workspace.
pub async fn experiment_by_id(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    id: i64,
) -> Result<Option<ExperimentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {} FROM experiments WHERE organization_id = $1 AND workspace_id = $2 AND id = $3",
        experiments::COLUMNS
    ))
    .bind(org)
    .bind(ws_id)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(experiments::from_row)
    .transpose()
}

/// Which of `ids` are experiments of the workspace (deleted or not), in ascending order: one
/// statement for every 500, where a search names its experiments.
pub async fn experiment_ids_among(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut found = Vec::with_capacity(ids.len());
    for st in Statement::in_workspace_among("x", tenant(ws), "id", ids) {
        let sql = format!("SELECT x.id FROM experiments x WHERE {}", st.conditions.join(" AND "));
        for row in bind_all(sqlx::query(&sql), st.args).fetch_all(pool).await? {
            found.push(row.try_get::<i64, _>("id")?);
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// Every experiment of the workspace in name order, at most `limit` (a search pages them).
pub async fn all_experiments(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    limit: i64,
) -> Result<Vec<ExperimentRecord>, sqlx::Error> {
    let rows = super::all_by_name(pool, ws, "experiments", experiments::COLUMNS, limit).await?;
    rows.iter().map(experiments::from_row).collect()
}

/// A change to an experiment through the API.
pub enum ExperimentEdit<'a> {
    Rename(&'a crate::domain::ExperimentName),
    SetTag(&'a str, &'a str),
    DeleteTag(&'a str),
    Describe(&'a str),
}

/// Applies `edit` to the experiment `id` in one transaction, with an activity entry.
pub async fn edit_experiment(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &super::audit::Actor,
    id: i64,
    edit: ExperimentEdit<'_>,
) -> Result<(), experiments::ChangeError> {
    use experiments::ChangeError as E;
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let lock = row_lock(&tx);
    let row = sqlx::query(&format!(
        "SELECT name, tags FROM experiments \
         WHERE organization_id = $1 AND workspace_id = $2 AND id = $3{lock}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(E::NotFound)?;
    let old_name: String = row.try_get("name")?;
    let mut tags = pairs_from_json(&row.try_get::<String, _>("tags")?);
    let (sql, details) = match edit {
        ExperimentEdit::Rename(name) => {
            let done = sqlx::query(
                "UPDATE experiments SET name = $1, name_key = $2, updated_at = $3 \
                 WHERE id = $4 AND organization_id = $5",
            )
            .bind(name.as_str())
            .bind(name.key())
            .bind(now())
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await;
            match done {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(E::NameTaken)
                }
                other => other?,
            };
            (None, serde_json::json!({ "renamed_from": old_name, "renamed_to": name.as_str() }))
        }
        ExperimentEdit::SetTag(key, value) => {
            set_pair(&mut tags, key, value);
            (Some("tags"), serde_json::json!({ "updated": true }))
        }
        ExperimentEdit::DeleteTag(key) => {
            tags.retain(|(k, _)| k != key);
            (Some("tags"), serde_json::json!({ "updated": true }))
        }
        ExperimentEdit::Describe(text) => {
            sqlx::query(
                "UPDATE experiments SET description = $1, updated_at = $2 \
                 WHERE id = $3 AND organization_id = $4",
            )
            .bind(text)
            .bind(now())
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
            (None, serde_json::json!({ "updated": true }))
        }
    };
    if sql.is_some() {
        sqlx::query(
            "UPDATE experiments SET tags = $1, updated_at = $2 WHERE id = $3 AND organization_id = $4",
        )
        .bind(pairs_to_json(&tags))
        .bind(now())
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    let target = match edit {
        ExperimentEdit::Rename(name) => name.as_str().to_owned(),
        _ => old_name,
    };
    super::audit::record_in_workspace(
        &mut tx,
        ws,
        actor,
        Action::ExperimentsWrite,
        &target,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets `key` to `value` among `pairs`, keeping its place if it is there already.
fn set_pair(pairs: &mut Vec<(String, String)>, key: &str, value: &str) {
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_owned(),
        None => pairs.push((key.to_owned(), value.to_owned())),
    }
}

/// `FOR UPDATE` where the backend has it: a read-modify-write of a row's JSON must not lose a
/// concurrent writer's change (SQLite's write transaction already excludes other writers).
fn row_lock(tx: &sqlx::AnyConnection) -> &'static str {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// A metric point with the time the script says it was taken (epoch milliseconds).
pub struct TimedPoint {
    pub point: MetricPoint,
    pub timestamp_ms: i64,
}

/// What one logging call brings to a run: points, parameters, tags to set or remove, a new
/// display name. Applied together or not at all.
#[derive(Default)]
pub struct RunLog<'a> {
    pub points: &'a [TimedPoint],
    pub params: &'a [(String, String)],
    pub set_tags: &'a [(String, String)],
    pub delete_tags: &'a [String],
    pub display_name: Option<&'a str>,
    /// Points logged for models (metrics carrying a model id): kept on the models, and added
    /// to the run's series only where the run does not hold that very point already.
    pub model_points: &'a [super::logged_model_edits::ModelPoint],
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(transparent)]
    Run(#[from] ChangeError),
    /// MLflow's rule: a parameter, once logged, keeps its value.
    #[error("parameter {key} was {old}, cannot become {new}")]
    ParamChanged { key: String, old: String, new: String },
    #[error("no tag {0}")]
    NoSuchTag(String),
    #[error("no logged model {0}")]
    NoSuchModel(String),
    /// The run was deleted through the API: it takes nothing until restored.
    #[error("the run is deleted")]
    Deleted,
}

impl From<sqlx::Error> for LogError {
    fn from(e: sqlx::Error) -> Self {
        Self::Run(ChangeError::Database(e))
    }
}

/// Logs to a run in one transaction. Points cost one indexed lookup of the run and one
/// multi-row insert per 200; the run's parameters and tags are read only when they change.
/// A run that has ended takes no more points, as in the studio.
pub async fn log(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
    log: &RunLog<'_>,
) -> Result<(), LogError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let edits_row = !log.params.is_empty()
        || !log.set_tags.is_empty()
        || !log.delete_tags.is_empty()
        || log.display_name.is_some();
    let lock = if edits_row { row_lock(&tx) } else { "" };
    let row = sqlx::query(&format!(
        "SELECT id, status, params, tags, deleted_at FROM runs \
         WHERE organization_id = $1 AND workspace_id = $2 AND name = $3{lock}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(run)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let run_id: i64 = row.try_get("id")?;
    if row.try_get::<Option<i64>, _>("deleted_at")?.is_some() {
        return Err(LogError::Deleted);
    }
    let mut timed: Vec<&TimedPoint> = log.points.iter().collect();
    if !log.model_points.is_empty() {
        let models = log.model_points;
        let new =
            super::logged_model_edits::record_metrics(&mut tx, (org, ws_id), (run_id, run), models)
                .await?;
        timed.extend(new.into_iter().map(|i| &models[i].point));
    }
    if !timed.is_empty() {
        let status = crate::domain::RunStatus::parse(&row.try_get::<String, _>("status")?)
            .map_err(|e| sqlx::Error::Decode(e.0.into()))?;
        if status.is_final() {
            return Err(ChangeError::Transition { from: status.as_str(), to: "updated" }.into());
        }
        let points: Vec<MetricPoint> = timed.iter().map(|p| p.point.clone()).collect();
        let ms = |i: usize| Some(timed[i].timestamp_ms);
        super::run_metrics::insert_points_timed(&mut tx, org, run_id, &points, ms, now()).await?;
        super::run_metrics::update_summaries_timed(&mut tx, org, run_id, &points, ms).await?;
    }
    if edits_row {
        let mut params = pairs_from_json(&row.try_get::<String, _>("params")?);
        let mut tags = pairs_from_json(&row.try_get::<String, _>("tags")?);
        for (key, value) in log.params {
            match params.iter().find(|(k, _)| k == key) {
                Some((_, old)) if old != value => {
                    return Err(LogError::ParamChanged {
                        key: key.clone(),
                        old: old.clone(),
                        new: value.clone(),
                    })
                }
                Some(_) => {}
                None => params.push((key.clone(), value.clone())),
            }
        }
        for (key, value) in log.set_tags {
            set_pair(&mut tags, key, value);
        }
        for key in log.delete_tags {
            let before = tags.len();
            tags.retain(|(k, _)| k != key);
            if tags.len() == before {
                return Err(LogError::NoSuchTag(key.clone()));
            }
        }
        let display = log.display_name.map(str::to_owned);
        sqlx::query(
            "UPDATE runs SET params = $1, tags = $2, \
             display_name = COALESCE($3, display_name), display_key = COALESCE($4, display_key) \
             WHERE id = $5 AND organization_id = $6",
        )
        .bind(pairs_to_json(&params))
        .bind(pairs_to_json(&tags))
        .bind(display.clone())
        .bind(display.map(|d| d.to_lowercase()))
        .bind(run_id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One point of a metric's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryPoint {
    pub step: i64,
    pub value: f64,
    /// Milliseconds: as the client sent it, or the time it was recorded.
    pub timestamp_ms: i64,
}

/// Up to `limit` points of one metric of a run, in step order, skipping the first `offset`:
/// read off the series index, never the whole series.
pub async fn metric_history(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
    key: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<HistoryPoint>, sqlx::Error> {
    let (org, _) = tenant(ws);
    sqlx::query(
        "SELECT step, value, recorded_at, timestamp_ms FROM run_metrics \
         WHERE run_id = $1 AND metric_key = $2 AND organization_id = $3 \
         ORDER BY step LIMIT $4 OFFSET $5",
    )
    .bind(run_id)
    .bind(key)
    .bind(org)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(HistoryPoint {
            step: row.try_get("step")?,
            value: row.try_get("value")?,
            timestamp_ms: match row.try_get::<Option<i64>, _>("timestamp_ms")? {
                Some(ms) => ms,
                None => row.try_get::<i64, _>("recorded_at")?.saturating_mul(1000),
            },
        })
    })
    .collect()
}

/// Sets when a run started or ended as its tracking client says (epoch seconds), keeping its
/// duration in step; a time not given stays as recorded.
pub async fn set_times(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
    started_at: Option<i64>,
    ended_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "UPDATE runs SET started_at = COALESCE($1, started_at), \
         ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE COALESCE($2, ended_at) END, \
         duration = CASE WHEN ended_at IS NULL THEN duration \
             ELSE COALESCE($2, ended_at) - COALESCE($1, started_at, ended_at) END \
         WHERE organization_id = $3 AND workspace_id = $4 AND name = $5",
    )
    .bind(started_at)
    .bind(ended_at)
    .bind(org)
    .bind(ws_id)
    .bind(run)
    .execute(pool)
    .await?;
    Ok(())
}
