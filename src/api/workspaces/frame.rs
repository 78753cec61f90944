use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// What the frame around every page of a workspace needs: where it is, and what the person may
/// do there (which decides the sections its navigation links to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceFrameView {
    pub crumbs: WorkspaceCrumbs,
    pub permitted: Vec<Action>,
}

/// The workspace's frame. Within one request it reuses the authorization the page's own server
/// functions load, so it costs no statement of its own there.
#[server(endpoint = "workspaces/frame")]
pub async fn workspace_frame(
    #[server(flatten)] path: WorkspacePath,
) -> Result<WorkspaceFrameView, AppError> {
    use crate::server::authz::{self, Deleted};

    let (_, ws, _) =
        authz::caller_workspace(&path, Action::WorkspacesRead, Deleted::Excluded).await?;
    Ok(WorkspaceFrameView {
        crumbs: WorkspaceCrumbs::of(ws.target()),
        permitted: ws.permitted_actions(),
    })
}
