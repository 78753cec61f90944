//! `GET /files/organizations/{org}/resourceGroups/{group}/workspaces/{ws}/runs/{run}/outputs/{path}`:
//! a run's output file, as an attachment. Authorized like the run's page (runs/read on the
//! workspace): what the person may not read is "not found". The pieces every download shares
//! (the person's proof for the workspace, the response) are here too.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::auth::user_of_session;
use super::authz::{self, Authorized, Deleted};
use super::db::run_outputs;
use super::db::scopes::WorkspaceScope;
use super::error::OrInternal;
use super::state::AppState;
use super::storage;
use crate::authz::Action;
use crate::domain::datastore::StoredPath;
use crate::domain::WorkspacePath;
use crate::error::AppError;

type OutputPath = (String, String, String, String, String);

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path((org, group, ws, run, path)): Path<OutputPath>,
) -> Response {
    attachment(read(&state, &session, &WorkspacePath::new(org, group, ws), &run, &path).await)
}

/// A file as an attachment named `name`, or the error's status and message.
pub(super) fn attachment(read: Result<(String, Vec<u8>), AppError>) -> Response {
    match read {
        Ok((name, bytes)) => {
            // A quoted file name: keep it to characters that need no escaping in the header.
            let name: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.kind.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.message).into_response()
        }
    }
}

/// The signed-in person's proof that they may do `action` in the workspace.
pub(super) async fn workspace_of_session(
    state: &AppState,
    session: &Session,
    workspace: &WorkspacePath,
    action: Action,
) -> Result<Authorized<WorkspaceScope>, AppError> {
    let user = user_of_session(state, session).await?.ok_or_else(AppError::unauthenticated)?;
    authz::workspace(&state.pool, &user, workspace, action, Deleted::Excluded).await
}

async fn read(
    state: &AppState,
    session: &Session,
    workspace: &WorkspacePath,
    run: &str,
    path: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let ws = workspace_of_session(state, session, workspace, Action::RunsRead).await?;
    let path = StoredPath::parse(path).map_err(|_| AppError::not_found())?;
    let output = run_outputs::find(&state.pool, &ws, run, &path)
        .await
        .or_internal("finding an output")?
        .ok_or_else(AppError::not_found)?;
    let file = storage::output_file(
        &state.settings.data_dir,
        ws.target().id,
        &output.datastore_path,
        run,
        &path,
    );
    let bytes = tokio::fs::read(&file).await.or_internal("reading an output")?;
    Ok((path.file_name().to_owned(), bytes))
}
