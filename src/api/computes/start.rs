use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Starts a stopped compute target.
#[server(endpoint = "computes/start")]
pub async fn start_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
) -> Result<(), AppError> {
    use crate::domain::compute::PowerAction;

    super::change_power(&path, &compute, PowerAction::Start).await
}
