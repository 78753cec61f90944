//! Changes to logged models after they are created: their status, tags and parameters, the
//! runs that name them as outputs, and the metrics logged for them. Each in one transaction.

use sqlx::Row;

use super::logged_models::{metrics_from_json, row_lock, ChangeError, ModelMetric, ModelStatus};
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::tracking::{LogError, TimedPoint};
use super::{now, tenant, Pool};
use crate::server::authz::proof::Authorized;

/// A change to a logged model's own row.
pub enum ModelEdit<'a> {
    /// MLflow's finalize: READY once its files are uploaded, FAILED when that failed.
    Finalize(ModelStatus),
    SetTags(&'a [(String, String)]),
    DeleteTag(&'a str),
    AddParams(&'a [(String, String)]),
}

/// Applies `edit` to the logged model `model_id` of the workspace.
pub async fn edit(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: &str,
    edit: ModelEdit<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let lock = row_lock(&tx);
    let row = sqlx::query(&format!(
        "SELECT id, status, params, tags FROM logged_models \
         WHERE organization_id = $1 AND workspace_id = $2 AND model_id = $3{lock}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let id: i64 = row.try_get("id")?;
    let mut status: String = row.try_get("status")?;
    let mut params = pairs_from_json(&row.try_get::<String, _>("params")?);
    let mut tags = pairs_from_json(&row.try_get::<String, _>("tags")?);
    match edit {
        ModelEdit::Finalize(next) => status = next.as_str().to_owned(),
        ModelEdit::SetTags(set) => {
            for (key, value) in set {
                match tags.iter_mut().find(|(k, _)| k == key) {
                    Some(pair) => pair.1 = value.clone(),
                    None => tags.push((key.clone(), value.clone())),
                }
            }
        }
        ModelEdit::DeleteTag(key) => {
            let before = tags.len();
            tags.retain(|(k, _)| k != key);
            if tags.len() == before {
                return Err(ChangeError::NoSuchTag(key.to_owned()));
            }
        }
        ModelEdit::AddParams(add) => {
            for (key, value) in add {
                match params.iter().find(|(k, _)| k == key) {
                    Some((_, old)) if old != value => {
                        return Err(ChangeError::ParamChanged {
                            key: key.clone(),
                            old: old.clone(),
                            new: value.clone(),
                        })
                    }
                    Some(_) => {}
                    None => params.push((key.clone(), value.clone())),
                }
            }
        }
    }
    sqlx::query(
        "UPDATE logged_models SET status = $1, params = $2, tags = $3, updated_at = $4 \
         WHERE id = $5 AND organization_id = $6",
    )
    .bind(status)
    .bind(pairs_to_json(&params))
    .bind(pairs_to_json(&tags))
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that run `run` produced the models `outputs` (model id, step), each model one of
/// the workspace's; naming a model again moves it to the new step.
pub async fn log_outputs(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run: &str,
    outputs: &[(String, i64)],
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let run_id: i64 = sqlx::query_scalar(
        "SELECT id FROM runs WHERE organization_id = $1 AND workspace_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(run)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::RunNotFound)?;
    for (model_id, step) in outputs {
        let model: i64 = sqlx::query_scalar(
            "SELECT id FROM logged_models \
             WHERE organization_id = $1 AND workspace_id = $2 AND model_id = $3",
        )
        .bind(org)
        .bind(ws_id)
        .bind(model_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ChangeError::NotFound)?;
        sqlx::query(
            "INSERT INTO run_model_outputs (organization_id, run_id, logged_model_id, step) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (run_id, logged_model_id) DO UPDATE SET step = excluded.step",
        )
        .bind(org)
        .bind(run_id)
        .bind(model)
        .bind(*step)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A metric point a tracking client logged for a model (a metric carrying `model_id`).
pub struct ModelPoint {
    pub model_id: String,
    pub point: TimedPoint,
    pub dataset_name: Option<String>,
    pub dataset_digest: Option<String>,
}

impl ModelPoint {
    fn metric(&self, run: &str) -> ModelMetric {
        ModelMetric {
            key: self.point.point.key.clone(),
            value: self.point.point.value,
            step: self.point.point.step,
            timestamp: self.point.timestamp_ms,
            dataset_name: self.dataset_name.clone(),
            dataset_digest: self.dataset_digest.clone(),
            run_id: run.to_owned(),
        }
    }

    fn same_point(&self, other: &ModelPoint) -> bool {
        let (a, b) = (&self.point, &other.point);
        (&a.point.key, a.point.step, a.point.value, a.timestamp_ms)
            == (&b.point.key, b.point.step, b.point.value, b.timestamp_ms)
    }
}

/// Records `points` on their models (each a model of the workspace) in the caller's
/// transaction, and returns the indexes of the points the run's own series does not hold yet.
/// MLflow's client re-sends a run's metrics with the model's id when it logs a model: those
/// points are the model's, and must not appear twice in the run's history.
pub(super) async fn record_metrics(
    tx: &mut sqlx::AnyConnection,
    (org, ws_id): (i64, i64),
    (run_id, run): (i64, &str),
    points: &[ModelPoint],
) -> Result<Vec<usize>, LogError> {
    let lock = row_lock(tx);
    let mut model_ids: Vec<&str> = points.iter().map(|p| p.model_id.as_str()).collect();
    model_ids.sort_unstable();
    model_ids.dedup();
    for model_id in model_ids {
        let row = sqlx::query(&format!(
            "SELECT id, metrics FROM logged_models \
             WHERE organization_id = $1 AND workspace_id = $2 AND model_id = $3{lock}"
        ))
        .bind(org)
        .bind(ws_id)
        .bind(model_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| LogError::NoSuchModel(model_id.to_owned()))?;
        let id: i64 = row.try_get("id")?;
        let mut metrics = metrics_from_json(&row.try_get::<String, _>("metrics")?);
        for point in points.iter().filter(|p| p.model_id == model_id) {
            let metric = point.metric(run);
            if !metrics.contains(&metric) {
                metrics.push(metric);
            }
        }
        let json = serde_json::to_string(&metrics).unwrap_or_else(|_| "[]".to_owned());
        sqlx::query(
            "UPDATE logged_models SET metrics = $1, updated_at = $2 \
             WHERE id = $3 AND organization_id = $4",
        )
        .bind(json)
        .bind(now())
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    let mut new = Vec::new();
    for (i, point) in points.iter().enumerate() {
        if points[..i].iter().any(|earlier| earlier.same_point(point)) {
            continue;
        }
        let p = &point.point;
        let there: Option<i64> = sqlx::query_scalar(
            "SELECT step FROM run_metrics WHERE run_id = $1 AND metric_key = $2 AND step = $3 \
             AND organization_id = $4 AND value = $5 AND timestamp_ms = $6 LIMIT 1",
        )
        .bind(run_id)
        .bind(p.point.key.as_str())
        .bind(p.point.step)
        .bind(org)
        .bind(p.point.value)
        .bind(p.timestamp_ms)
        .fetch_optional(&mut *tx)
        .await?;
        if there.is_none() {
            new.push(i);
        }
    }
    Ok(new)
}
