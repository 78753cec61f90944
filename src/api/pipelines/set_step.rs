use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Moves one step of a pipeline run to `status`: forwards only, and a step starts only once
/// the steps it depends on completed. A failed or canceled step cancels the steps waiting for
/// it; the run's status follows.
#[server(endpoint = "pipelines/set_step")]
pub async fn set_pipeline_step(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    run: String,
    step: String,
    status: String,
) -> Result<(), AppError> {
    use super::{fields, run_change_error, run_number};
    use crate::authz::Action;
    use crate::domain::RunStatus;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipeline_runs::{self, RunChange};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesWrite, Deleted::Excluded).await?;
    let number = run_number(&run)?;
    let status =
        RunStatus::parse(&status).map_err(|e| AppError::invalid_field(fields::STATUS, e))?;
    let change = RunChange::Step { name: step.trim(), status };
    pipeline_runs::change(&state.pool, &ws, &actor, (&pipeline, number), change)
        .await
        .map_err(run_change_error)?;
    Ok(())
}
