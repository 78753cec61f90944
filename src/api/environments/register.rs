use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Registers a version of an environment (the next number; 1 for a new name) and opens it.
#[server(endpoint = "environments/register")]
pub async fn register_environment(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    base_image: String,
    #[server(default)] conda_spec: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::environment::{parse_base_image, parse_spec, EnvironmentName};
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::environments::{self, NewEnvironment};
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EnvironmentsWrite, Deleted::Excluded).await?;
    let name =
        EnvironmentName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let base_image = parse_base_image(&base_image)
        .map_err(|e| AppError::invalid_field(fields::BASE_IMAGE, e))?;
    let conda_spec =
        parse_spec(&conda_spec).map_err(|e| AppError::invalid_field(fields::CONDA_SPEC, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let new = NewEnvironment {
        name: &name,
        base_image: &base_image,
        conda_spec: &conda_spec,
        description: &description,
        tags: &tags,
    };
    environments::register(&state.pool, &ws, &actor, &new)
        .await
        .or_internal("registering an environment")?;
    let url = WorkspaceCrumbs::of(ws.target()).url();
    leptos_axum::redirect(&format!("{url}/environments/{}", name.as_str()));
    Ok(())
}
