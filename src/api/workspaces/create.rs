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
    use super::workspace_url;
    use crate::server::authz::Caller;

    let caller = Caller::current().await?;
    let request = WorkspaceRequest {
        placement: &placement,
        new_resource_group: &new_resource_group,
        name: &name,
        display_name: &display_name,
        environment: &environment,
        description: &description,
        tags: &tags,
    };
    let ws = create(&caller, request).await?;
    leptos_axum::redirect(&workspace_url(
        &ws.resource_group.organization.slug,
        &ws.resource_group.name,
        &ws.name,
    ));
    Ok(())
}

/// A new workspace's fields as typed: `placement` is `{org}/{group}`, or `{org}` with
/// `new_resource_group` naming the group to create with it.
#[cfg(feature = "ssr")]
pub(crate) struct WorkspaceRequest<'a> {
    pub placement: &'a str,
    pub new_resource_group: &'a str,
    pub name: &'a str,
    pub display_name: &'a str,
    pub environment: &'a str,
    pub description: &'a str,
    /// `key=value` lines.
    pub tags: &'a str,
}

/// Creates a workspace for the studio's form and the management API alike.
#[cfg(feature = "ssr")]
pub(crate) async fn create(
    caller: &crate::server::authz::Caller,
    request: WorkspaceRequest<'_>,
) -> Result<crate::server::db::scopes::WorkspaceScope, AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::{
        Description, DisplayName, Environment, ResourceGroupName, Tags, WorkspaceName,
    };
    use crate::server::db::workspaces::{self, InitialAccess, NewWorkspace, Placement};

    let WorkspaceRequest { placement, new_resource_group, name, display_name, .. } = request;
    let invalid = |field: &'static str| move |e| AppError::invalid_field(field, e);
    let new = NewWorkspace {
        name: WorkspaceName::parse(name).map_err(invalid(fields::NAME))?,
        display_name: DisplayName::parse(if display_name.trim().is_empty() {
            name
        } else {
            display_name
        })
        .map_err(invalid(fields::DISPLAY_NAME))?,
        environment: Environment::parse(request.environment)
            .map_err(invalid(fields::ENVIRONMENT))?,
        description: Description::parse(request.description)
            .map_err(invalid(fields::DESCRIPTION))?,
        tags: Tags::parse(request.tags).map_err(invalid(fields::TAGS))?,
    };
    let (organization, group) = placement.split_once('/').unwrap_or((placement, ""));
    let pool = caller.pool();
    let actor = &caller.actor;
    let created = if group.is_empty() {
        let group_name = ResourceGroupName::parse(new_resource_group)
            .map_err(invalid(fields::NEW_RESOURCE_GROUP))?;
        let org = caller.organization(organization, Action::ResourceGroupsWrite).await?;
        workspaces::create(
            pool,
            Placement::NewGroup(&org, &group_name),
            actor,
            std::slice::from_ref(&new),
            &InitialAccess::default(),
        )
        .await
    } else {
        let group = caller.resource_group(organization, group, Action::WorkspacesWrite).await?;
        let new = std::slice::from_ref(&new);
        workspaces::create(pool, Placement::Existing(&group), actor, new, &InitialAccess::default())
            .await
    };
    let mut created = created.map_err(|e| workspace_change_error(e, fields::NAME))?;
    let ws = created.remove(0);
    tracing::info!(user_id = caller.user().id, workspace_id = ws.id, "workspace created");
    Ok(ws)
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
