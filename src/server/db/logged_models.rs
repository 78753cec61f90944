//! MLflow 3's logged models: what `mlflow.<flavor>.log_model` records besides the files. A
//! logged model belongs to the run that logged it (its source run): its files are among that
//! run's outputs, in the folder `artifact_path`, and it goes when that run goes (see
//! `workspace_contents::RUN_TABLES`). Changes to it are in `logged_model_edits`.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

/// Whether a logged model's files are all there (MLflow's LoggedModelStatus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelStatus {
    Pending,
    Ready,
    Failed,
}

impl ModelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Ready => "READY",
            Self::Failed => "FAILED",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "PENDING" => Self::Pending,
            "READY" => Self::Ready,
            "FAILED" => Self::Failed,
            _ => return None,
        })
    }
}

/// A metric point logged for a model, as MLflow's Metric message has it (times in ms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMetric {
    pub key: String,
    pub value: f64,
    pub step: i64,
    pub timestamp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_digest: Option<String>,
    /// The run it was logged in (its id in the API).
    pub run_id: String,
}

#[derive(Clone, Debug)]
pub struct LoggedModelRecord {
    pub id: i64,
    /// MLflow's id: `m-` and 32 hex digits.
    pub model_id: String,
    pub experiment_id: i64,
    /// The source run's id in the API (its name).
    pub run: String,
    pub name: String,
    pub model_type: String,
    pub status: ModelStatus,
    /// The folder among the source run's outputs that holds the model's files.
    pub artifact_path: String,
    pub params: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub metrics: Vec<ModelMetric>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such logged model")]
    NotFound,
    #[error("no such run")]
    RunNotFound,
    #[error("the run is in experiment {0}")]
    OtherExperiment(i64),
    /// A parameter, once logged, keeps its value (as a run's do).
    #[error("parameter {key} was {old}, cannot become {new}")]
    ParamChanged { key: String, old: String, new: String },
    #[error("no tag {0}")]
    NoSuchTag(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "m.id, m.model_id, m.experiment_id, r.name AS run_name, m.name, \
     m.model_type, m.status, m.artifact_path, m.params, m.tags, m.metrics, m.created_by, \
     m.created_at, m.updated_at \
     FROM logged_models m JOIN runs r ON r.id = m.run_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<LoggedModelRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let metrics: String = row.try_get("metrics")?;
    Ok(LoggedModelRecord {
        id: row.try_get("id")?,
        model_id: row.try_get("model_id")?,
        experiment_id: row.try_get("experiment_id")?,
        run: row.try_get("run_name")?,
        name: row.try_get("name")?,
        model_type: row.try_get("model_type")?,
        status: ModelStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("logged model status {status}").into()))?,
        artifact_path: row.try_get("artifact_path")?,
        params: pairs_from_json(&row.try_get::<String, _>("params")?),
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        metrics: metrics_from_json(&metrics),
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(super) fn metrics_from_json(text: &str) -> Vec<ModelMetric> {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "stored model metrics are not valid JSON");
        Vec::new()
    })
}

/// The logged model `model_id` of the workspace.
pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: &str,
) -> Result<Option<LoggedModelRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE m.organization_id = $1 AND m.workspace_id = $2 AND m.model_id = $3"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The newest logged models of the given experiments of the workspace, at most `limit`: what a
/// search filters and orders.
pub async fn in_experiments(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    experiment_ids: &[i64],
    limit: i64,
) -> Result<Vec<LoggedModelRecord>, sqlx::Error> {
    if experiment_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (org, ws_id) = tenant(ws);
    let placeholders: Vec<String> =
        (0..experiment_ids.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT {COLUMNS} WHERE m.organization_id = $1 AND m.workspace_id = $2 \
         AND m.experiment_id IN ({}) ORDER BY m.id DESC LIMIT $3",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(org).bind(ws_id).bind(limit);
    for id in experiment_ids {
        query = query.bind(*id);
    }
    query.fetch_all(pool).await?.iter().map(from_row).collect()
}

/// The models run `run_id` (already read in the workspace) produced, as (model id, step), in
/// the order they were recorded.
pub async fn outputs_of_run(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    run_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(
        "SELECT m.model_id, o.step FROM run_model_outputs o \
         JOIN logged_models m ON m.id = o.logged_model_id \
         WHERE o.organization_id = $1 AND m.workspace_id = $2 AND o.run_id = $3 ORDER BY m.id",
    )
    .bind(org)
    .bind(ws_id)
    .bind(run_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("model_id")?, row.try_get("step")?)))
    .collect()
}

/// What creating a logged model needs.
pub struct NewLoggedModel<'a> {
    /// The source run's id in the API.
    pub run: &'a str,
    pub experiment_id: i64,
    /// Already checked to be one folder name.
    pub name: &'a str,
    pub model_type: &'a str,
    pub params: &'a [(String, String)],
    pub tags: &'a [(String, String)],
}

/// `FOR UPDATE` where the backend has it (SQLite's write transaction already excludes other
/// writers): read-modify-writes of a row must not lose a concurrent writer's change.
pub(super) fn row_lock(tx: &sqlx::AnyConnection) -> &'static str {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// A new id of MLflow's shape: `m-` and 32 lowercase hex digits (128 random bits).
fn new_model_id() -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        sqlx::Error::Protocol(format!("reading the OS random number generator: {e}"))
    })?;
    Ok(format!("m-{}", hex::encode(bytes)))
}

/// Creates a PENDING logged model of run `new.run` and returns its id. Its folder is its name,
/// unless another logged model of the run has that folder: then `{name}-{model id}`.
pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    new: &NewLoggedModel<'_>,
) -> Result<String, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    // Locking the run makes the folder check and the insert one step for this run.
    let lock = row_lock(&tx);
    let run = sqlx::query(&format!(
        "SELECT id, experiment_id FROM runs \
         WHERE organization_id = $1 AND workspace_id = $2 AND name = $3{lock}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(new.run)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::RunNotFound)?;
    let (run_id, experiment_id): (i64, i64) = (run.try_get("id")?, run.try_get("experiment_id")?);
    if experiment_id != new.experiment_id {
        return Err(ChangeError::OtherExperiment(experiment_id));
    }
    let model_id = new_model_id()?;
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM logged_models WHERE run_id = $1 AND organization_id = $2 \
         AND artifact_path = $3",
    )
    .bind(run_id)
    .bind(org)
    .bind(new.name)
    .fetch_optional(&mut *tx)
    .await?;
    let artifact_path = match taken {
        None => new.name.to_owned(),
        Some(_) => format!("{}-{model_id}", new.name),
    };
    let at = now();
    sqlx::query(
        "INSERT INTO logged_models (organization_id, workspace_id, experiment_id, run_id, \
         model_id, name, model_type, status, artifact_path, params, tags, created_by, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(experiment_id)
    .bind(run_id)
    .bind(&model_id)
    .bind(new.name)
    .bind(new.model_type)
    .bind(ModelStatus::Pending.as_str())
    .bind(&artifact_path)
    .bind(pairs_to_json(new.params))
    .bind(pairs_to_json(new.tags))
    .bind(actor.user_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "run": new.run, "logged_model": model_id, "folder": artifact_path });
    record(&mut tx, ws, actor, Action::RunsWrite, new.run, details).await?;
    tx.commit().await?;
    Ok(model_id)
}

/// Deletes a logged model's record (and the runs' outputs naming it). Its files stay among its
/// source run's outputs, where the run's pages show them.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    model_id: &str,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT m.id, r.name AS run_name FROM logged_models m JOIN runs r ON r.id = m.run_id \
         WHERE m.organization_id = $1 AND m.workspace_id = $2 AND m.model_id = $3",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let (id, run): (i64, String) = (row.try_get("id")?, row.try_get("run_name")?);
    sqlx::query(
        "DELETE FROM run_model_outputs WHERE logged_model_id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM logged_models WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    let details = json!({ "run": run, "logged_model": model_id, "deleted": true });
    record(&mut tx, ws, actor, Action::RunsDelete, &run, details).await?;
    tx.commit().await?;
    Ok(())
}
