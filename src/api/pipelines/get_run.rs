use leptos::prelude::*;

use super::PipelineRunView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One run of a pipeline: the graph it was submitted with and each step's status and times.
#[server(endpoint = "pipelines/get_run")]
pub async fn get_pipeline_run(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    run: String,
) -> Result<PipelineRunView, AppError> {
    use super::{run_number, run_summary, StepRun};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{pipeline_runs, pipelines};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::PipelinesRead, Deleted::Excluded).await?;
    let number = run_number(&run)?;
    let record = pipelines::get(&state.pool, &ws, &pipeline)
        .await
        .or_internal("reading a pipeline")?
        .ok_or_else(AppError::not_found)?;
    let (run, steps) = pipeline_runs::get(&state.pool, &ws, record.id, number)
        .await
        .or_internal("reading a pipeline run")?
        .ok_or_else(AppError::not_found)?;
    Ok(PipelineRunView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        pipeline: record.name,
        run: run_summary(&run),
        graph: run.graph,
        steps: steps
            .into_iter()
            .map(|s| StepRun {
                name: s.name,
                status: s.status,
                started_at: s.started_at,
                ended_at: s.ended_at,
            })
            .collect(),
        permitted: ws.permitted_actions(),
    })
}
