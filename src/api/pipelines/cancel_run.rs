use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Cancels every step of a pipeline run that has not finished.
#[server(endpoint = "pipelines/cancel_run")]
pub async fn cancel_pipeline_run(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    run: String,
) -> Result<(), AppError> {
    use super::{run_change_error, run_number};
    use crate::authz::Action;
    use crate::error::ErrorKind;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipeline_runs::{self, ChangeError::Refused, RunChange};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesWrite, Deleted::Excluded).await?;
    let number = run_number(&run)?;
    pipeline_runs::change(&state.pool, &ws, &actor, (&pipeline, number), RunChange::CancelAll)
        .await
        .map_err(|e| match e {
            // Not about a field: the whole run has finished.
            Refused(invalid) => AppError::new(ErrorKind::Conflict, invalid.0),
            e => run_change_error(e),
        })?;
    Ok(())
}
