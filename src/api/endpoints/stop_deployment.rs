use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Stops a deployment: it serves nothing until started again. One that still receives traffic
/// is stopped only when it is the endpoint's last running deployment.
#[server(endpoint = "endpoints/stop_deployment")]
pub async fn stop_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    deployment: String,
) -> Result<(), AppError> {
    use crate::domain::endpoint::DeploymentAction;

    super::change_state(&path, (&endpoint, &deployment), DeploymentAction::Stop).await
}
