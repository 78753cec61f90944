use leptos::prelude::*;

use crate::error::AppError;

/// Restarts a running compute target.
#[server(endpoint = "computes/restart")]
pub async fn restart_compute(
    organization: String,
    resource_group: String,
    workspace: String,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    super::change_power(path, &compute, PowerAction::Restart).await
}
