use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a run with its metrics and logs, and goes back to its experiment.
#[server(endpoint = "runs/delete")]
pub async fn delete_run(
    #[server(flatten)] path: WorkspacePath,
    run: String,
) -> Result<(), AppError> {
    use crate::api::experiments::experiment_url;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::RunsDelete, Deleted::Excluded).await?;
    let record = super::find_run(&state.pool, &ws, &run).await?;
    crate::server::removals::delete_run(&state, &ws, &actor, &record.name)
        .await
        .map_err(super::change_error)?;
    leptos_axum::redirect(&experiment_url(&WorkspaceCrumbs::of(ws.target()), &record.experiment));
    Ok(())
}
