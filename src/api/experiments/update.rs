use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes an experiment's description and tags.
#[server(endpoint = "experiments/update")]
pub async fn update_experiment(
    #[server(flatten)] path: WorkspacePath,
    experiment: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::{Description, ExperimentName, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::experiments::{self, ExperimentFields};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ExperimentsWrite, Deleted::Excluded).await?;
    let name = ExperimentName::parse(&experiment).map_err(|_| AppError::not_found())?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let fields = ExperimentFields { name: &name, description: &description, tags: &tags };
    experiments::update(&state.pool, &ws, &actor, &fields).await.map_err(change_error)
}
