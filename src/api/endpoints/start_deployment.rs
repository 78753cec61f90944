use leptos::prelude::*;

use crate::error::AppError;

/// Starts a stopped deployment. It takes all the traffic when nothing else runs, none
/// otherwise.
#[server(endpoint = "endpoints/start_deployment")]
pub async fn start_deployment(
    organization: String,
    resource_group: String,
    workspace: String,
    endpoint: String,
    deployment: String,
) -> Result<(), AppError> {
    use crate::domain::endpoint::DeploymentAction;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    super::change_state(path, (&endpoint, &deployment), DeploymentAction::Start).await
}
