//! Metric time series of runs, and the per-run summaries (latest value, range) kept with them.

use std::collections::BTreeMap;

use sqlx::Row;

use super::audit::Actor;
use super::runs::{id_and_status, set_status, ChangeError};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::domain::run::MetricPoint;
use crate::domain::RunStatus;
use crate::server::authz::proof::Authorized;

/// Rows per INSERT: well under both backends' limits on parameters per statement.
const ROWS_PER_INSERT: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub struct MetricSummary {
    pub key: String,
    pub last_value: f64,
    pub last_step: i64,
    pub min_value: f64,
    pub max_value: f64,
    pub points: i64,
    /// The latest point's time as a tracking client gave it (milliseconds); None from forms.
    pub last_timestamp_ms: Option<i64>,
}

/// What a tracking client sends about a run in one go.
pub struct RunUpdate<'a> {
    pub points: &'a [MetricPoint],
    pub log: &'a str,
    pub status: Option<RunStatus>,
}

/// Appends metric points and log text to a run and moves its status, in one transaction.
/// A run that has ended takes no more points or log text.
pub async fn append(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    run: &str,
    update: &RunUpdate<'_>,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (run_id, status, _) = id_and_status(&mut tx, ws, run).await?;
    let adds_data = !update.points.is_empty() || !update.log.is_empty();
    if adds_data && status.is_final() {
        return Err(ChangeError::Transition { from: status.as_str(), to: "updated" });
    }
    let at = now();
    insert_points(&mut tx, org, run_id, update.points, at).await?;
    update_summaries(&mut tx, org, run_id, update.points).await?;
    if !update.log.is_empty() {
        super::run_logs::append(&mut tx, org, run_id, update.log, at).await?;
    }
    if let Some(next) = update.status {
        set_status(&mut tx, ws, actor, run, next).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Inserts points in batches of multi-row INSERTs (much faster than one statement per point).
pub(crate) async fn insert_points(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    run_id: i64,
    points: &[MetricPoint],
    at: i64,
) -> Result<(), sqlx::Error> {
    insert_points_timed(tx, org, run_id, points, |_| None, at).await
}

/// [`insert_points`] with each point's own time in milliseconds from `ms(index)` (the seconds
/// column gets it rounded down), or `at` where that gives none.
pub(crate) async fn insert_points_timed(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    run_id: i64,
    points: &[MetricPoint],
    ms: impl Fn(usize) -> Option<i64>,
    at: i64,
) -> Result<(), sqlx::Error> {
    for (n, batch) in points.chunks(ROWS_PER_INSERT).enumerate() {
        let rows: Vec<String> = (0..batch.len())
            .map(|i| {
                let n = i * 5;
                format!("($1, $2, ${}, ${}, ${}, ${}, ${})", n + 3, n + 4, n + 5, n + 6, n + 7)
            })
            .collect();
        let sql = format!(
            "INSERT INTO run_metrics (organization_id, run_id, metric_key, step, value, \
             recorded_at, timestamp_ms) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(org).bind(run_id);
        for (i, point) in batch.iter().enumerate() {
            let millis = ms(n * ROWS_PER_INSERT + i);
            query = query
                .bind(point.key.as_str())
                .bind(point.step)
                .bind(point.value)
                .bind(millis.map_or(at, |m| m.div_euclid(1000)))
                .bind(millis);
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Folds a batch of points into the run's summaries: per key, the point with the highest step
/// is the latest, and the range widens.
pub(crate) async fn update_summaries(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    run_id: i64,
    points: &[MetricPoint],
) -> Result<(), sqlx::Error> {
    update_summaries_timed(tx, org, run_id, points, |_| None).await
}

/// [`update_summaries`] keeping the latest point's client time (`ms(index)`).
pub(crate) async fn update_summaries_timed(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    run_id: i64,
    points: &[MetricPoint],
    ms: impl Fn(usize) -> Option<i64>,
) -> Result<(), sqlx::Error> {
    for summary in summarize(points, ms) {
        sqlx::query(
            "INSERT INTO run_metric_summaries (organization_id, run_id, metric_key, last_value, \
             last_step, min_value, max_value, points, last_timestamp_ms, experiment_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                 (SELECT experiment_id FROM runs WHERE id = $2)) \
             ON CONFLICT (run_id, metric_key) DO UPDATE SET \
             last_timestamp_ms = CASE WHEN excluded.last_step >= run_metric_summaries.last_step \
                 THEN excluded.last_timestamp_ms ELSE run_metric_summaries.last_timestamp_ms END, \
             last_value = CASE WHEN excluded.last_step >= run_metric_summaries.last_step \
                 THEN excluded.last_value ELSE run_metric_summaries.last_value END, \
             last_step = CASE WHEN excluded.last_step >= run_metric_summaries.last_step \
                 THEN excluded.last_step ELSE run_metric_summaries.last_step END, \
             min_value = CASE WHEN excluded.min_value < run_metric_summaries.min_value \
                 THEN excluded.min_value ELSE run_metric_summaries.min_value END, \
             max_value = CASE WHEN excluded.max_value > run_metric_summaries.max_value \
                 THEN excluded.max_value ELSE run_metric_summaries.max_value END, \
             points = run_metric_summaries.points + excluded.points",
        )
        .bind(org)
        .bind(run_id)
        .bind(&summary.key)
        .bind(summary.last_value)
        .bind(summary.last_step)
        .bind(summary.min_value)
        .bind(summary.max_value)
        .bind(summary.points)
        .bind(summary.last_timestamp_ms)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Per-key summaries of a batch, in key order.
fn summarize(points: &[MetricPoint], ms: impl Fn(usize) -> Option<i64>) -> Vec<MetricSummary> {
    let mut by_key: BTreeMap<&str, MetricSummary> = BTreeMap::new();
    for (i, p) in points.iter().enumerate() {
        let entry = by_key.entry(p.key.as_str()).or_insert_with(|| MetricSummary {
            key: p.key.clone(),
            last_value: p.value,
            last_step: p.step,
            min_value: p.value,
            max_value: p.value,
            points: 0,
            last_timestamp_ms: None,
        });
        if p.step >= entry.last_step {
            entry.last_step = p.step;
            entry.last_value = p.value;
            entry.last_timestamp_ms = ms(i);
        }
        entry.min_value = entry.min_value.min(p.value);
        entry.max_value = entry.max_value.max(p.value);
        entry.points += 1;
    }
    by_key.into_values().collect()
}

/// The summaries of the given runs (ids from a page already authorized), by run id.
pub async fn summaries(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_ids: &[i64],
) -> Result<BTreeMap<i64, Vec<MetricSummary>>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let mut by_run: BTreeMap<i64, Vec<MetricSummary>> = BTreeMap::new();
    if run_ids.is_empty() {
        return Ok(by_run);
    }
    // Chunks keep each statement well under both backends' limits on parameters.
    for chunk in run_ids.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        // The join to runs keeps the read inside the workspace even if an id came from elsewhere.
        let sql = format!(
            "SELECT s.run_id, s.metric_key, s.last_value, s.last_step, s.min_value, s.max_value, \
             s.points, s.last_timestamp_ms FROM run_metric_summaries s \
             JOIN runs r ON r.id = s.run_id \
             WHERE s.organization_id = $1 AND r.workspace_id = $2 AND s.run_id IN ({}) \
             ORDER BY s.run_id, s.metric_key",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(org).bind(ws_id);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(pool).await? {
            by_run.entry(row.try_get("run_id")?).or_default().push(MetricSummary {
                key: row.try_get("metric_key")?,
                last_value: row.try_get("last_value")?,
                last_step: row.try_get("last_step")?,
                min_value: row.try_get("min_value")?,
                max_value: row.try_get("max_value")?,
                points: row.try_get("points")?,
                last_timestamp_ms: row.try_get("last_timestamp_ms")?,
            });
        }
    }
    Ok(by_run)
}

/// Every metric of the given runs (ids from a page already authorized) as (run id, key, points
/// in step order thinned to at most `max_points` with their shape kept), in one query. Rows are
/// read as they come and each series thinned as it ends, so memory holds one whole series at
/// a time however many a run has.
pub async fn series_of_runs(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_ids: &[i64],
    max_points: usize,
) -> Result<Vec<(i64, String, Vec<(f64, f64)>)>, sqlx::Error> {
    use futures_util::TryStreamExt;

    let (org, ws_id) = tenant(ws);
    let mut all = Vec::new();
    if run_ids.is_empty() {
        return Ok(all);
    }
    let placeholders: Vec<String> = (0..run_ids.len()).map(|i| format!("${}", i + 3)).collect();
    // The join to runs keeps the read inside the workspace even if an id came from elsewhere;
    // the order is that of the (run_id, metric_key, step) index.
    let sql = format!(
        "SELECT m.run_id, m.metric_key, m.step, m.value FROM run_metrics m \
         JOIN runs r ON r.id = m.run_id \
         WHERE m.organization_id = $1 AND r.workspace_id = $2 AND m.run_id IN ({}) \
         ORDER BY m.run_id, m.metric_key, m.step",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(org).bind(ws_id);
    for id in run_ids {
        query = query.bind(*id);
    }
    let mut rows = query.fetch(pool);
    let mut current: Option<(i64, String)> = None;
    let mut points: Vec<(f64, f64)> = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let run_id: i64 = row.try_get("run_id")?;
        let key: String = row.try_get("metric_key")?;
        if current.as_ref().is_none_or(|(r, k)| *r != run_id || *k != key) {
            if let Some((run, key)) = current.take() {
                all.push((run, key, crate::domain::series::downsample(&points, max_points)));
            }
            points.clear();
            current = Some((run_id, key));
        }
        let step: i64 = row.try_get("step")?;
        // Steps are whole numbers far below 2^53: exact as f64.
        points.push((step as f64, row.try_get::<f64, _>("value")?));
    }
    if let Some((run, key)) = current {
        all.push((run, key, crate::domain::series::downsample(&points, max_points)));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(key: &str, step: i64, value: f64) -> MetricPoint {
        MetricPoint { key: key.into(), step, value }
    }

    #[test]
    fn summaries_take_the_highest_step_as_latest_and_widen_the_range() {
        let points = [point("loss", 2, 0.5), point("loss", 1, 0.9), point("acc", 0, 0.1)];
        let s = summarize(&points, |_| None);
        assert_eq!(s[0].key, "acc");
        assert_eq!((s[1].last_step, s[1].last_value), (2, 0.5));
        assert_eq!((s[1].min_value, s[1].max_value, s[1].points), (0.5, 0.9, 2));
    }
}
