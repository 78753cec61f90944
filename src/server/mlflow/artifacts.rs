//! MLflow's proxied artifact endpoints (`mlflow-artifacts`): a run's `artifact_uri` is
//! `mlflow-artifacts:/runs/{run}`, which the client resolves to
//! `{tracking URI}/api/2.0/mlflow-artifacts/artifacts/runs/{run}/…`. Files are the run's
//! outputs, stored in the workspace's default datastore like the studio's uploads, so the run
//! page lists and downloads them.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{Caller, MlflowError};
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::server::db::{model_version_files, models, run_outputs, runs};
use crate::server::{model_files, run_output_files, storage};

/// The largest artifact one upload may carry. Uploads are held in memory while stored.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// What an artifact path names: `runs/{run}/{path}`, or a model version's files
/// (`models/{model}/{version}/{path}`, the download URI of the registry); the path below is
/// empty for the root.
enum Place {
    Run { run: String, below: String },
    Model { model: String, version: i64, below: String },
}

fn place(path: &str) -> Result<Place, MlflowError> {
    let trimmed = path.trim_matches('/');
    let nothing = || MlflowError::not_found(format!("No artifact at '{trimmed}'."));
    if let Some(rest) = trimmed.strip_prefix("runs/") {
        let (run, below) = rest.split_once('/').unwrap_or((rest, ""));
        if run.is_empty() {
            return Err(nothing());
        }
        return Ok(Place::Run { run: run.to_owned(), below: below.to_owned() });
    }
    if let Some(rest) = trimmed.strip_prefix("models/") {
        let mut parts = rest.splitn(3, '/');
        let model = parts.next().unwrap_or_default();
        let version = parts.next().and_then(|v| v.parse::<i64>().ok()).ok_or_else(nothing)?;
        let below = parts.next().unwrap_or_default();
        return Ok(Place::Model { model: model.to_owned(), version, below: below.to_owned() });
    }
    Err(nothing())
}

/// The run an upload goes to; model versions' files come only from runs.
fn split(path: &str) -> Result<(String, String), MlflowError> {
    match place(path)? {
        Place::Run { run, below } => Ok((run, below)),
        Place::Model { .. } => Err(MlflowError::invalid(
            "A model version's files are registered from a run's artifacts.",
        )),
    }
}

fn stored(path: &str) -> Result<StoredPath, MlflowError> {
    StoredPath::parse(path)
        .map_err(|e| MlflowError::invalid(format!("Invalid artifact path: {}", e.0)))
}

pub async fn upload(
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, MlflowError> {
    let body = body.map_err(|_| {
        MlflowError::invalid(format!(
            "An artifact is at most {} MB per upload.",
            UPLOAD_LIMIT / (1024 * 1024)
        ))
    })?;
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
    let asked = params.get("path").map(String::as_str).unwrap_or_default();
    let place = place(asked)?;
    let action =
        if matches!(place, Place::Run { .. }) { Action::RunsRead } else { Action::ModelsRead };
    let ws = caller.workspace(action).await?;
    let state = &caller.state;
    let missing =
        || MlflowError::not_found(format!("No artifact at '{}'.", asked.trim_matches('/')));
    let file = match place {
        Place::Run { run, below } => {
            let path = stored(&below)?;
            let output = run_outputs::find(&state.pool, &ws, &run, &path)
                .await
                .map_err(|e| MlflowError::internal("finding an artifact", e))?
                .ok_or_else(missing)?;
            storage::output_file(
                &state.settings.data_dir,
                ws.target().id,
                &output.datastore_path,
                &run,
                &path,
            )
        }
        Place::Model { model, version, below } => {
            let path = stored(&below)?;
            let found = model_version_files::find(&state.pool, &ws, (&model, version), &path)
                .await
                .map_err(|e| MlflowError::internal("finding a model file", e))?
                .ok_or_else(missing)?;
            model_files::file_path(&state.settings.data_dir, &ws, &found, version)
        }
    };
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
    let asked = query.get("path").map(String::as_str).unwrap_or_default();
    let place = place(asked)?;
    let (Place::Run { below, .. } | Place::Model { below, .. }) = &place;
    if !below.is_empty() {
        stored(below)?;
    }
    let state = &caller.state;
    // (path, size) of every file of the run or version.
    let (files, below): (Vec<(String, i64)>, String) = match place {
        Place::Run { run, below } => {
            let ws = caller.workspace(Action::RunsRead).await?;
            let record = runs::get_including_deleted(&state.pool, &ws, &run)
                .await
                .map_err(|e| MlflowError::internal("reading a run", e))?
                .ok_or_else(|| MlflowError::not_found(format!("Run with id={run} not found")))?;
            let outputs = run_outputs::list(&state.pool, &ws, record.id)
                .await
                .map_err(|e| MlflowError::internal("listing artifacts", e))?;
            (outputs.into_iter().map(|o| (o.path, o.size)).collect(), below)
        }
        Place::Model { model, version, below } => {
            let ws = caller.workspace(Action::ModelsRead).await?;
            let record = models::get(&state.pool, &ws, &model)
                .await
                .map_err(|e| MlflowError::internal("reading a model", e))?
                .ok_or_else(|| {
                    MlflowError::not_found(format!("Registered Model with name={model} not found"))
                })?;
            let stored = model_version_files::for_model(&state.pool, &ws, record.id, Some(version))
                .await
                .map_err(|e| MlflowError::internal("listing a model's files", e))?;
            (stored.into_iter().map(|(_, f)| (f.path, f.size)).collect(), below)
        }
    };
    Ok(Json(json!({ "files": children(&files, &below) })))
}

/// What is directly inside `folder` among `files` (path, size): files with their sizes and
/// folders, by name, named relative to the folder as MLflow's server answers. A folder that is
/// a file lists that file alone.
fn children(files: &[(String, i64)], folder: &str) -> Vec<Value> {
    let folder = folder.trim_matches('/');
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let mut entries: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for (path, size) in files {
        if path == folder {
            entries.insert(path.rsplit('/').next().unwrap_or_default().to_owned(), Some(*size));
            continue;
        }
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((name, _)) => {
                entries.entry(name.to_owned()).or_insert(None);
            }
            None => {
                entries.insert(rest.to_owned(), Some(*size));
            }
        }
    }
    entries
        .into_iter()
        .map(|(path, size)| match size {
            Some(size) => json!({ "path": path, "is_dir": false, "file_size": size }),
            None => json!({ "path": path, "is_dir": true }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_list_their_direct_children() {
        let files = [
            ("model/MLmodel".to_owned(), 10),
            ("model/data/w.bin".to_owned(), 5),
            ("notes.txt".to_owned(), 3),
        ];
        let names = |folder: &str| -> Vec<String> {
            children(&files, folder)
                .iter()
                .map(|v| v["path"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(""), ["model", "notes.txt"]);
        assert_eq!(names("model"), ["MLmodel", "data"]);
        assert_eq!(names("notes.txt"), ["notes.txt"]);
        assert!(names("nothing").is_empty());
        assert_eq!(children(&files, "model")[0]["file_size"], 10);
        assert_eq!(children(&files, "")[0]["is_dir"], true);
    }
}
