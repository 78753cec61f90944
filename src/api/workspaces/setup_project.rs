use leptos::prelude::*;

use crate::error::AppError;

/// Seed 004's layout in one step: a resource group named after the project holding a
/// development, a test and a production workspace, tagged with the project and environment.
/// Data scientists named here get AzureML Data Scientist in development and Reader in test and
/// production; workspace admins get the "Workspace admin" role on the project's group. Members
/// of the organization get them at once, anyone else by invitation (see `project_access`).
/// Through groups, the roles go instead to two new groups ("{project} data scientists",
/// "{project} administrators") with those people in them, to be filled later on the Groups
/// page (seed 001's administrators / data scientists policy).
#[server(endpoint = "workspaces/set_up_project")]
pub async fn set_up_project(
    organization: String,
    project: String,
    description: String,
    #[server(default)] data_scientists: String,
    #[server(default)] workspace_admins: String,
    /// "on" (a checkbox): give the roles to two new groups of the project, with these people
    /// in them, rather than to each person.
    #[server(default)]
    through_groups: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::{
        Description, DisplayName, Environment, ResourceGroupName, Tags, WorkspaceName,
    };
    use crate::server::db::resource_groups::ChangeError;
    use crate::server::db::workspaces::{self, InitialAccess, NewWorkspace, Placement};
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let actor = audit::actor(&user).await;
    let project_field = |e| AppError::invalid_field(fields::PROJECT, e);
    let project = project.trim().to_owned();
    // The longest workspace name is the project's plus "-prod": check that one.
    WorkspaceName::parse(&format!("{project}-prod")).map_err(|_| {
        project_field(crate::domain::Invalid::new(
            "Use 2 to 28 letters, digits, hyphens or underscores, starting with a letter or digit.",
        ))
    })?;
    let group = ResourceGroupName::parse(&project).map_err(project_field)?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::ResourceGroupsWrite).await?;
    let new_workspaces = Environment::ALL
        .iter()
        .map(|&environment| {
            let suffix = match environment {
                Environment::Development => "dev",
                Environment::Test => "test",
                Environment::Production => "prod",
            };
            let name = format!("{project}-{suffix}");
            let tags = format!("project={project}\nenvironment={}", environment.as_str());
            Ok(NewWorkspace {
                name: WorkspaceName::parse(&name).map_err(project_field)?,
                display_name: DisplayName::parse(&format!("{project} ({})", environment.label()))
                    .map_err(project_field)?,
                description: description.clone(),
                environment,
                tags: Tags::parse(&tags).map_err(project_field)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let audience = super::project_access::Audience {
        project: &project,
        data_scientists: &data_scientists,
        workspace_admins: &workspace_admins,
        through_groups: crate::api::groups::checked(&through_groups),
    };
    let presets =
        super::project_access::presets(&state.pool, &org, &Environment::ALL, &audience).await?;
    let access = InitialAccess {
        role: presets.role.as_ref(),
        grants: presets.grants,
        groups: presets.groups,
    };
    let created = workspaces::create(
        &state.pool,
        Placement::NewGroup(&org, &group),
        &actor,
        &new_workspaces,
        &access,
    )
    .await
    .map_err(|e| match e {
        // The group is the project's: a clash there is the project name's fault.
        ChangeError::NameTaken => AppError::conflict(
            fields::PROJECT,
            "A resource group with this project's name already exists. Choose another name.",
        ),
        ChangeError::Group(crate::server::db::groups::GroupError::NameTaken) => AppError::conflict(
            fields::THROUGH_GROUPS,
            "This organization already has a group named after this project's (letter case \
             aside). Rename that group, or give roles to people rather than groups.",
        ),
        other => super::create::workspace_change_error(other, fields::PROJECT),
    })?;
    super::project_access::invite(&state, &user, &created, presets.invitations).await?;
    tracing::info!(user_id = user.id, org_id = org.target().id, "project set up");
    leptos_axum::redirect(&format!(
        "/organizations/{}/resourceGroups/{}",
        org.target().slug,
        group.as_str()
    ));
    Ok(())
}
