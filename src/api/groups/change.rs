use leptos::prelude::*;

use crate::error::AppError;

/// Renames the organization's group `group` and sets its description: its members and role
/// assignments stay with it. Answers the name as kept.
#[server(endpoint = "groups/update")]
pub async fn update_group(
    organization: String,
    group: String,
    name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    use super::{fields, group_error, group_in};
    use crate::authz::Action;
    use crate::domain::group_name::GroupName;
    use crate::domain::Description;
    use crate::server::db::group_changes;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::GroupsWrite).await?;
    let group_id = group_in(&state.pool, &org, &group).await?;
    let name = GroupName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let actor = audit::actor(&user).await;
    let change = (name.as_str(), description.as_str());
    group_changes::rename(&state.pool, &org, &actor, group_id, change)
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = user.id, group_id, "group updated");
    leptos_axum::redirect(&super::page_of(&org, name.as_str()));
    Ok(name.as_str().to_owned())
}

/// Deletes the organization's group `group` after its name is typed to confirm. While the group
/// holds role assignments it is refused, naming them, unless `remove_access` ("on"): then they
/// are removed too, which needs `roleAssignments/write` and `roleAssignments/delete` on the
/// organization as well (as removing one on an Access control page does).
#[server(endpoint = "groups/delete")]
pub async fn delete_group(
    organization: String,
    group: String,
    confirm_name: String,
    /// "on" (a checkbox): remove the group's role assignments with it.
    #[server(default)]
    remove_access: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::Invalid;

    if !confirm_name.trim().eq_ignore_ascii_case(group.trim()) {
        let caller = crate::server::authz::Caller::current().await?;
        // Found first, so a caller who may not see the group learns nothing from the answer.
        let org = caller.organization(&organization, crate::authz::Action::GroupsDelete).await?;
        super::group_in(caller.pool(), &org, &group).await?;
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the group's name to confirm."),
        ));
    }
    let caller = crate::server::authz::Caller::current().await?;
    let org = delete(&caller, &organization, &group, super::checked(&remove_access)).await?;
    leptos_axum::redirect(&format!("{}/groups", org.target().path()));
    Ok(())
}

/// Deletes `group` of `organization`; with `remove_access`, its role assignments too.
#[cfg(feature = "ssr")]
pub(crate) async fn delete(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
    remove_access: bool,
) -> Result<crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>, AppError>
{
    use super::{group_error, group_in};
    use crate::authz::Action;
    use crate::server::authz;
    use crate::server::db::group_changes;

    let org = caller.organization(organization, Action::GroupsDelete).await?;
    let group_id = group_in(caller.pool(), &org, group).await?;
    // Removing its roles is removing assignments: write and delete, as on Access control.
    let org = if remove_access {
        authz::also(authz::also(org, Action::RoleAssignmentsWrite)?, Action::RoleAssignmentsDelete)?
    } else {
        org
    };
    group_changes::delete(caller.pool(), &org, &caller.actor, group_id, remove_access)
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = caller.user().id, group_id, "group deleted");
    Ok(org)
}
