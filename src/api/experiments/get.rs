use leptos::prelude::*;

use super::ExperimentView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

#[server(endpoint = "experiments/get")]
pub async fn get_experiment(
    #[server(flatten)] path: WorkspacePath,
    experiment: String,
) -> Result<ExperimentView, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::experiments;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::ExperimentsRead, Deleted::Excluded).await?;
    let record = experiments::get(&state.pool, &ws, &experiment)
        .await
        .or_internal("reading an experiment")?
        .ok_or_else(AppError::not_found)?;
    let actions = [Action::ExperimentsWrite, Action::ExperimentsDelete];
    let activity = crate::api::item_activity::recent(
        &state.pool,
        &ws,
        &actions,
        &record.name,
        super::describe_event,
    )
    .await?;
    Ok(ExperimentView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        activity,
        experiment: super::summary(record),
        permitted: ws.permitted_actions(),
    })
}
