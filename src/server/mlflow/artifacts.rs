//! MLflow's proxied artifact endpoints (`mlflow-artifacts`): a run's `artifact_uri` is
//! `mlflow-artifacts:/runs/{run}`, which the client resolves to
//! `{tracking URI}/api/2.0/mlflow-artifacts/artifacts/runs/{run}/…`. Files are the run's
//! outputs, stored in the workspace's default datastore like the studio's uploads, so the run
//! page lists and downloads them.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{Caller, MlflowError};
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::server::db::{run_outputs, runs};
use crate::server::{run_output_files, storage};

/// The largest artifact one upload may carry. Uploads are held in memory while stored.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// `runs/{run}/{path}` → (run, path below the run; empty for the run's root).
fn split(path: &str) -> Result<(String, String), MlflowError> {
    let trimmed = path.trim_matches('/');
    let rest = trimmed.strip_prefix("runs/").ok_or_else(|| {
        MlflowError::not_found(format!(
            "No artifact at '{trimmed}': artifacts live under runs/{{run id}}/."
        ))
    })?;
    let (run, below) = rest.split_once('/').unwrap_or((rest, ""));
    if run.is_empty() {
        return Err(MlflowError::not_found("No run named in the artifact path."));
    }
    Ok((run.to_owned(), below.to_owned()))
}

fn stored(path: &str) -> Result<StoredPath, MlflowError> {
    StoredPath::parse(path)
        .map_err(|e| MlflowError::invalid(format!("Invalid artifact path: {}", e.0)))
}

pub async fn upload(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<Value>, MlflowError> {
    let ws = caller.workspace(Action::RunsWrite).await?;
    let (run, below) = split(params.get("path").map(String::as_str).unwrap_or_default())?;
    let path = stored(&below)?;
    let state = &caller.state;
    run_output_files::store(
        &state.pool,
        &state.settings.data_dir,
        &ws,
        &caller.actor(),
        &run,
        &path,
        &body,
    )
    .await
    .map_err(|e| match e.kind {
        crate::error::ErrorKind::NotFound => {
            MlflowError::not_found(format!("Run with id={run} not found"))
        }
        _ => MlflowError::from(e),
    })?;
    Ok(Json(json!({})))
}

pub async fn download(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, MlflowError> {
    let ws = caller.workspace(Action::RunsRead).await?;
    let (run, below) = split(params.get("path").map(String::as_str).unwrap_or_default())?;
    let path = stored(&below)?;
    let state = &caller.state;
    let output = run_outputs::find(&state.pool, &ws, &run, &path)
        .await
        .map_err(|e| MlflowError::internal("finding an artifact", e))?
        .ok_or_else(|| {
            MlflowError::not_found(format!("No artifact at '{}' in run {run}.", path.as_str()))
        })?;
    let file = storage::output_file(
        &state.settings.data_dir,
        ws.target().id,
        &output.datastore_path,
        &run,
        &path,
    );
    let bytes = tokio::fs::read(&file)
        .await
        .map_err(|e| MlflowError::internal("reading an artifact", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

/// What is directly inside a folder of a run's artifacts: files with their sizes, and folders.
/// Names are relative to the folder, as MLflow's server answers.
pub async fn list(
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, MlflowError> {
    let ws = caller.workspace(Action::RunsRead).await?;
    let asked = query.get("path").map(String::as_str).unwrap_or_default();
    let (run, below) = split(asked)?;
    let state = &caller.state;
    let record = runs::get(&state.pool, &ws, &run)
        .await
        .map_err(|e| MlflowError::internal("reading a run", e))?
        .ok_or_else(|| MlflowError::not_found(format!("Run with id={run} not found")))?;
    let outputs = run_outputs::list(&state.pool, &ws, record.id)
        .await
        .map_err(|e| MlflowError::internal("listing artifacts", e))?;
    let prefix =
        if below.is_empty() { String::new() } else { format!("{}/", below.trim_matches('/')) };
    // Name → size (None for a folder), in name order.
    let mut entries: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for output in &outputs {
        if output.path == below {
            // The path names a file: MLflow lists it alone.
            entries.insert(
                output.path.rsplit('/').next().unwrap_or_default().to_owned(),
                Some(output.size),
            );
            continue;
        }
        let Some(rest) = output.path.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((folder, _)) => {
                entries.entry(folder.to_owned()).or_insert(None);
            }
            None => {
                entries.insert(rest.to_owned(), Some(output.size));
            }
        }
    }
    let files: Vec<Value> = entries
        .into_iter()
        .map(|(path, size)| match size {
            Some(size) => json!({ "path": path, "is_dir": false, "file_size": size }),
            None => json!({ "path": path, "is_dir": true }),
        })
        .collect();
    Ok(Json(json!({ "files": files })))
}
