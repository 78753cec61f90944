use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Stops a running compute target (a stopped one costs nothing).
#[server(endpoint = "computes/stop")]
pub async fn stop_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    super::change_power(&path, &compute, PowerAction::Stop).await
}
