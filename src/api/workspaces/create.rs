use leptos::prelude::*;

use crate::error::AppError;

/// Creates a workspace in an existing resource group or in a new one created with it. The
/// creator becomes the workspace's Owner.
#[server(endpoint = "workspaces/create")]
pub async fn create_workspace(
    placement: String,
    new_resource_group: String,
    name: String,
    display_name: String,
    environment: String,
    description: String,
    tags: String,
) -> Result<(), AppError> {
    use super::{fields, workspace_url};
    use crate::authz::Action;
    use crate::domain::{
        Description, DisplayName, Environment, ResourceGroupName, Tags, WorkspaceName,
    };
    use crate::server::db::workspaces::{self, InitialAccess, NewWorkspace, Placement};
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let actor = audit::actor(&user).await;
    let invalid = |field: &'static str| move |e| AppError::invalid_field(field, e);
    let new = NewWorkspace {
        name: WorkspaceName::parse(&name).map_err(invalid(fields::NAME))?,
        display_name: DisplayName::parse(if display_name.trim().is_empty() {
            &name
        } else {
            &display_name
        })
        .map_err(invalid(fields::DISPLAY_NAME))?,
        environment: Environment::parse(&environment).map_err(invalid(fields::ENVIRONMENT))?,
        description: Description::parse(&description).map_err(invalid(fields::DESCRIPTION))?,
        tags: Tags::parse(&tags).map_err(invalid(fields::TAGS))?,
    };
    let (organization, group) = placement.split_once('/').unwrap_or((placement.as_str(), ""));
    let pool = &state.pool;
    let created = if group.is_empty() {
        let group_name = ResourceGroupName::parse(&new_resource_group)
            .map_err(invalid(fields::NEW_RESOURCE_GROUP))?;
        let org =
            authz::organization(pool, &user, organization, Action::ResourceGroupsWrite).await?;
        workspaces::create(
            pool,
            Placement::NewGroup(&org, &group_name),
            &actor,
            std::slice::from_ref(&new),
            &InitialAccess::default(),
        )
        .await
    } else {
        let group =
            authz::resource_group(pool, &user, organization, group, Action::WorkspacesWrite)
                .await?;
        let new = std::slice::from_ref(&new);
        workspaces::create(
            pool,
            Placement::Existing(&group),
            &actor,
            new,
            &InitialAccess::default(),
        )
        .await
    };
    let created = created.map_err(|e| workspace_change_error(e, fields::NAME))?;
    let ws = &created[0];
    tracing::info!(user_id = user.id, workspace_id = ws.id, "workspace created");
    leptos_axum::redirect(&workspace_url(
        &ws.resource_group.organization.slug,
        &ws.resource_group.name,
        &ws.name,
    ));
    Ok(())
}

/// A taken workspace name is `name_field`'s fault; a taken group name, the new group's.
#[cfg(feature = "ssr")]
pub(crate) fn workspace_change_error(
    error: crate::server::db::resource_groups::ChangeError,
    name_field: &str,
) -> AppError {
    use crate::server::db::resource_groups::ChangeError;
    match error {
        ChangeError::WorkspaceNameTaken => AppError::conflict(
            name_field,
            "That name is taken in this resource group (names ignore letter case). Choose another.",
        ),
        ChangeError::NameTaken => AppError::conflict(
            super::fields::NEW_RESOURCE_GROUP,
            "A resource group with this name already exists in the organization. Pick it from the list instead.",
        ),
        other => crate::api::resource_groups::change_error(other),
    }
}
