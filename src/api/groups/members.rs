use leptos::prelude::*;

use crate::error::AppError;

/// Puts a member of the organization in one of its groups, by address: from the next request
/// on, they hold the group's roles. Only an address its owner has confirmed (or a service
/// principal's identity) may be added, as for a role given by address.
#[server(endpoint = "groups/add_member")]
pub async fn add_group_member(
    organization: String,
    group: String,
    email: String,
    /// "on" (a checkbox) when they may change the group's membership too.
    #[server(default)]
    manager: String,
) -> Result<(), AppError> {
    use super::{fields, group_error, group_in};
    use crate::authz::Action;
    use crate::domain::Email;
    use crate::server::db::{groups, members};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::GroupsWrite).await?;
    let group_id = group_in(&state.pool, &org, &group).await?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let member = members::grantee_by_email(&state.pool, org.target().id, &email)
        .await
        .or_internal("finding a member")?
        .ok_or_else(|| {
            AppError::conflict(
                fields::EMAIL,
                "Only members of this organization whose address is confirmed can be put in a \
                 group. Invite this address to a role first.",
            )
        })?;
    let actor = audit::actor(&user).await;
    let manager = manager == "on" || manager == "true";
    groups::add_member(&state.pool, &org, &actor, (group_id, member.user_id), manager)
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = user.id, group_id, member = member.user_id, "group member added");
    Ok(())
}

/// Takes someone out of a group: the group's roles end for them on their next request.
#[server(endpoint = "groups/remove_member")]
pub async fn remove_group_member(
    organization: String,
    group: String,
    email: String,
) -> Result<(), AppError> {
    use super::{fields, group_error, group_in};
    use crate::authz::Action;
    use crate::domain::Email;
    use crate::server::db::{groups, users};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::GroupsWrite).await?;
    let group_id = group_in(&state.pool, &org, &group).await?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let not_member = || AppError::conflict(fields::EMAIL, "Not in this group.");
    let member = users::find_by_email(&state.pool, &email)
        .await
        .or_internal("finding an account")?
        .ok_or_else(not_member)?;
    let actor = audit::actor(&user).await;
    groups::remove_member(&state.pool, &org, &actor, (group_id, member.id))
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = user.id, group_id, member = member.id, "group member removed");
    Ok(())
}
