//! `GET /files/organizations/{org}/resourceGroups/{group}/workspaces/{ws}/datasets/{asset}/versions/{version}/{file}`:
//! an uploaded data asset version, as an attachment. Authorized like the asset's page
//! (datasets/read on the workspace): what the person may not read is "not found".

use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

use super::db::dataset_versions;
use super::error::OrInternal;
use super::output_download::{attachment, workspace_of_session};
use super::state::AppState;
use crate::authz::Action;
use crate::domain::WorkspacePath;
use crate::error::AppError;

type VersionPath = (String, String, String, String, i64, String);

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path((org, group, ws, asset, version, file)): Path<VersionPath>,
) -> Response {
    attachment(
        read(&state, &session, &WorkspacePath::new(org, group, ws), (&asset, version), &file).await,
    )
}

async fn read(
    state: &AppState,
    session: &Session,
    workspace: &WorkspacePath,
    (asset, version): (&str, i64),
    file: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let ws = workspace_of_session(state, session, workspace, Action::DatasetsRead).await?;
    let (name, record) = dataset_versions::find(&state.pool, &ws, asset, version)
        .await
        .or_internal("finding a data asset version")?
        .ok_or_else(AppError::not_found)?;
    if record.file_name != file {
        return Err(AppError::not_found());
    }
    let path = super::dataset_files::upload_path(&state.settings.data_dir, &ws, &name, &record)
        .ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(&path).await.or_internal("reading a data asset")?;
    Ok((record.file_name, bytes))
}
