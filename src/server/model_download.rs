//! `GET /files/organizations/{org}/resourceGroups/{group}/workspaces/{ws}/models/{model}/versions/{version}/{*path}`:
//! a file of a model version, as an attachment. Authorized like the model's page (models/read on
//! the workspace): what the person may not read is "not found".

use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

use super::db::model_version_files;
use super::error::OrInternal;
use super::output_download::{attachment, workspace_of_session};
use super::state::AppState;
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::domain::WorkspacePath;
use crate::error::AppError;

type FilePath = (String, String, String, String, String, String);

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path((org, group, ws, model, version, path)): Path<FilePath>,
) -> Response {
    attachment(
        read(&state, &session, &WorkspacePath::new(org, group, ws), (&model, &version), &path)
            .await,
    )
}

async fn read(
    state: &AppState,
    session: &Session,
    workspace: &WorkspacePath,
    (model, version): (&str, &str),
    path: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let ws = workspace_of_session(state, session, workspace, Action::ModelsRead).await?;
    let version: i64 = version.parse().map_err(|_| AppError::not_found())?;
    let path = StoredPath::parse(path).map_err(|_| AppError::not_found())?;
    let stored = model_version_files::find(&state.pool, &ws, (model, version), &path)
        .await
        .or_internal("finding a model file")?
        .ok_or_else(AppError::not_found)?;
    let file = super::model_files::file_path(&state.settings.data_dir, &ws, &stored, version);
    let bytes = tokio::fs::read(&file).await.or_internal("reading a model file")?;
    Ok((path.file_name().to_owned(), bytes))
}
