use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes a workspace's display name, description and tags.
#[server(endpoint = "workspaces/update")]
pub async fn update_workspace(
    #[server(flatten)] path: WorkspacePath,
    display_name: String,
    description: String,
    tags: String,
) -> Result<(), AppError> {
    use super::{fields, workspace_url};
    use crate::authz::Action;
    use crate::domain::{Description, DisplayName, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::WorkspacesWrite, Deleted::Excluded).await?;
    let display_name = DisplayName::parse(&display_name)
        .map_err(|e| AppError::invalid_field(fields::DISPLAY_NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    workspaces::update(&state.pool, &ws, &actor, &display_name, &description, &tags)
        .await
        .or_internal("updating a workspace")?;
    leptos_axum::redirect(&workspace_url(
        &path.organization,
        &path.resource_group,
        &ws.target().name,
    ));
    Ok(())
}
