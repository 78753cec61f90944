use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes a model's description and tags, or one version's when `version` is given.
#[server(endpoint = "models/update")]
pub async fn update_model(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    #[server(default)] version: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::model::parse_version;
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{model_versions, models};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ModelsWrite, Deleted::Excluded).await?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    match version.trim() {
        "" => models::update(&state.pool, &ws, &actor, &model, &description, &tags).await,
        v => {
            let v = parse_version(v).map_err(|e| AppError::invalid_field(fields::VERSION, e))?;
            model_versions::update(&state.pool, &ws, &actor, (&model, v), &description, &tags).await
        }
    }
    .map_err(change_error)
}
