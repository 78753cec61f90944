use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Restarts a running compute target.
#[server(endpoint = "computes/restart")]
pub async fn restart_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    super::change_power(&path, &compute, PowerAction::Restart).await
}
