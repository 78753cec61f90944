use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Starts a stopped deployment. It takes all the traffic when nothing else runs, none
/// otherwise.
#[server(endpoint = "endpoints/start_deployment")]
pub async fn start_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    deployment: String,
) -> Result<(), AppError> {
    use crate::domain::endpoint::DeploymentAction;

    super::change_state(&path, (&endpoint, &deployment), DeploymentAction::Start).await
}
