use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Submits a run of the pipeline: queued, every step queued, with a copy of the graph in which
/// each environment is pinned to the version it means now. Opens the run.
#[server(endpoint = "pipelines/submit")]
pub async fn submit_pipeline(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
) -> Result<(), AppError> {
    use super::{pipeline_run_url, references, run_change_error};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{pipeline_runs, pipelines};
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesWrite, Deleted::Excluded).await?;
    let record = pipelines::get(&state.pool, &ws, &pipeline)
        .await
        .or_internal("reading a pipeline")?
        .ok_or_else(AppError::not_found)?;
    let mut graph = record.graph;
    // What the steps named may have gone since the pipeline was saved.
    references::check(&state.pool, &ws, &mut graph, true).await?;
    let number = pipeline_runs::submit(&state.pool, &ws, &actor, &record.name, &graph)
        .await
        .map_err(run_change_error)?;
    let crumbs = WorkspaceCrumbs::of(ws.target());
    leptos_axum::redirect(&pipeline_run_url(&crumbs, &record.name, number));
    Ok(())
}
