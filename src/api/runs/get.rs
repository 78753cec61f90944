use leptos::prelude::*;

use super::RunView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

#[server(endpoint = "runs/get")]
pub async fn get_run(
    #[server(flatten)] path: WorkspacePath,
    run: String,
) -> Result<RunView, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{model_versions, run_metrics, run_snapshots};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
    let record = super::find_run(&state.pool, &ws, &run).await?;
    let mut summaries = run_metrics::summaries(&state.pool, &ws, &[record.id])
        .await
        .or_internal("reading metrics")?;
    let metrics = summaries.remove(&record.id).unwrap_or_default();
    let model_versions = if ws.permits(Action::ModelsRead) {
        model_versions::from_run(&state.pool, &ws, record.id)
            .await
            .or_internal("reading a run's model versions")?
    } else {
        Vec::new()
    };
    let snapshot = run_snapshots::get(&state.pool, &ws, record.id)
        .await
        .or_internal("reading a run's snapshot")?
        .map(super::snapshot::summary);
    let actions = [Action::RunsSubmit, Action::RunsWrite, Action::RunsDelete];
    let activity = crate::api::item_activity::recent(
        &state.pool,
        &ws,
        &actions,
        &record.name,
        super::describe_event,
    )
    .await?;
    Ok(RunView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        activity,
        snapshot,
        run: super::row(record, metrics),
        model_versions,
        permitted: ws.permitted_actions(),
    })
}
