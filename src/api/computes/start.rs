use leptos::prelude::*;

use crate::error::AppError;

/// Starts a stopped compute target.
#[server(endpoint = "computes/start")]
pub async fn start_compute(
    organization: String,
    resource_group: String,
    workspace: String,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    super::change_power(path, &compute, PowerAction::Start).await
}
