use leptos::prelude::*;

use crate::error::AppError;

/// Stops a deployment: it serves nothing until started again. One that still receives traffic
/// is stopped only when it is the endpoint's last running deployment.
#[server(endpoint = "endpoints/stop_deployment")]
pub async fn stop_deployment(
    organization: String,
    resource_group: String,
    workspace: String,
    endpoint: String,
    deployment: String,
) -> Result<(), AppError> {
    use crate::domain::endpoint::DeploymentAction;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    super::change_state(path, (&endpoint, &deployment), DeploymentAction::Stop).await
}
