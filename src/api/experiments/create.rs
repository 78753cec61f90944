use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Creates an experiment and opens it.
#[server(endpoint = "experiments/create")]
pub async fn create_experiment(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, experiment_url, fields};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::{Description, ExperimentName, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::experiments::{self, ExperimentFields};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ExperimentsWrite, Deleted::Excluded).await?;
    let name =
        ExperimentName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let fields = ExperimentFields { name: &name, description: &description, tags: &tags };
    experiments::create(&state.pool, &ws, &actor, &fields).await.map_err(change_error)?;
    leptos_axum::redirect(&experiment_url(&WorkspaceCrumbs::of(ws.target()), name.as_str()));
    Ok(())
}
