use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes a model's description and tags.
#[server(endpoint = "models/update")]
pub async fn update_model(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::change_error;
    use crate::server::db::models;

    let (state, ws, actor, (description, tags)) = authorized(&path, &description, &tags).await?;
    models::update(&state.pool, &ws, &actor, &model, &description, &tags)
        .await
        .map_err(change_error)
}

/// Changes one version's description and tags. (Its own server function, so that a form posted
/// without JavaScript is told apart from the model's: the page opens the form that was sent.)
#[server(endpoint = "models/update_version")]
pub async fn update_model_version(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    version: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::domain::model::parse_version;
    use crate::server::db::model_versions;

    let (state, ws, actor, (description, tags)) = authorized(&path, &description, &tags).await?;
    let v = parse_version(&version).map_err(|e| AppError::invalid_field(fields::VERSION, e))?;
    model_versions::update(&state.pool, &ws, &actor, (&model, v), &description, &tags)
        .await
        .map_err(change_error)
}

/// The caller, allowed to change models in the workspace at `path`, and the texts parsed.
#[cfg(feature = "ssr")]
async fn authorized(
    path: &WorkspacePath,
    description: &str,
    tags: &str,
) -> Result<
    (
        crate::server::state::AppState,
        crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
        crate::server::db::audit::Actor,
        (crate::domain::Description, crate::domain::Tags),
    ),
    AppError,
> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};

    let (state, ws, actor) =
        authz::caller_workspace(path, Action::ModelsWrite, Deleted::Excluded).await?;
    let description = Description::parse(description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    Ok((state, ws, actor, (description, tags)))
}
