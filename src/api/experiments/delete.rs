use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes an experiment with all its runs, after the name is typed to confirm.
#[server(endpoint = "experiments/delete")]
pub async fn delete_experiment(
    #[server(flatten)] path: WorkspacePath,
    experiment: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ExperimentsDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(experiment.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the experiment's name to confirm."),
        ));
    }
    let data_dir = &state.settings.data_dir;
    crate::server::removals::delete_experiment(&state.pool, data_dir, &ws, &actor, &experiment)
        .await
        .map_err(change_error)?;
    leptos_axum::redirect(&format!("{}/experiments", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
