use leptos::prelude::*;

use super::EndpointView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// An endpoint with its deployments and, for those who may read the activity log, its latest
/// events (the deployments' included).
#[server(endpoint = "endpoints/get")]
pub async fn get_endpoint(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
) -> Result<EndpointView, AppError> {
    use super::describe_event;
    use crate::api::item_activity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::EndpointsRead, Deleted::Excluded).await?;
    let (record, deployments) = super::with_deployments(&state.pool, &ws, &endpoint).await?;
    let actions = [Action::EndpointsWrite, Action::EndpointsDelete];
    let activity =
        item_activity::recent(&state.pool, &ws, &actions, &record.name, describe_event).await?;
    Ok(EndpointView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        endpoint: super::summary(record),
        deployments: deployments.into_iter().map(super::deployment_view).collect(),
        activity,
        permitted: ws.permitted_actions(),
    })
}
