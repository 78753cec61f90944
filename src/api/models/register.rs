// One argument per form field: the register forms post straight to this function.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;

/// Registers a new version of a model (creating the model when the name is new) and opens the
/// model. `source_run` is the id of a run in the same workspace, or empty. For an existing
/// model, a non-empty `description` or `tags` replaces the model's. Returns the version.
#[server(endpoint = "models/register")]
pub async fn register_model(
    organization: String,
    resource_group: String,
    workspace: String,
    name: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
    #[server(default)] source_run: String,
    #[server(default)] framework: String,
    #[server(default)] version_description: String,
) -> Result<i64, AppError> {
    use super::{change_error, fields, model_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::{Description, Framework, ModelName, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::model_versions::{self, NewVersion};
    use crate::server::db::models::ChangeError;

    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, actor) =
        authz::caller_workspace(path, Action::ModelsWrite, Deleted::Excluded).await?;
    let name = ModelName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let framework =
        Framework::parse(&framework).map_err(|e| AppError::invalid_field(fields::FRAMEWORK, e))?;
    let version_description = Description::parse(&version_description)
        .map_err(|e| AppError::invalid_field(fields::VERSION_DESCRIPTION, e))?;
    let source_run = Some(source_run.trim()).filter(|s| !s.is_empty());
    // Linking a run tells whether it exists: only for those who may see runs.
    if source_run.is_some() && !ws.permits(Action::RunsRead) {
        return Err(change_error(ChangeError::RunNotFound));
    }
    let new = NewVersion {
        model: &name,
        model_description: &description,
        model_tags: &tags,
        source_run,
        framework: &framework,
        description: &version_description,
    };
    let (stored_name, version) =
        model_versions::register(&state.pool, &ws, &actor, &new).await.map_err(change_error)?;
    leptos_axum::redirect(&model_url(&WorkspaceCrumbs::of(ws.target()), &stored_name));
    Ok(version)
}
