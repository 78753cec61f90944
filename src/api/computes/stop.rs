use leptos::prelude::*;

use crate::error::AppError;

/// Stops a running compute target (a stopped one costs nothing).
#[server(endpoint = "computes/stop")]
pub async fn stop_compute(
    organization: String,
    resource_group: String,
    workspace: String,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    super::change_power(path, &compute, PowerAction::Stop).await
}
