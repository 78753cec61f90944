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
    let caller = crate::server::authz::Caller::current().await?;
    add(&caller, &organization, &group, &email, super::checked(&manager)).await
}

/// Puts the member with `email` in `group` of `organization`, as a manager when `manager`.
#[cfg(feature = "ssr")]
pub(crate) async fn add(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
    email: &str,
    manager: bool,
) -> Result<(), AppError> {
    use super::{fields, group_error};
    use crate::domain::Email;
    use crate::server::db::{groups, members};
    use crate::server::error::OrInternal;

    let (pool, user) = (caller.pool(), caller.user());
    let (org, group_id, as_manager) = membership_changer(caller, organization, group).await?;
    // A manager adds members on the authority of whoever made them manager (who held the
    // group's roles then); appointing managers is for those with groups/write.
    if as_manager && manager {
        return Err(AppError::new(
            crate::error::ErrorKind::Forbidden,
            "Managers add members; making someone a manager needs a role that may change the \
             organization's groups.",
        ));
    }
    if !as_manager {
        require_holding_its_roles(pool, user, org.target(), group_id).await?;
    }
    let email = Email::parse(email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let member = members::grantee_by_email(pool, org.target().id, &email)
        .await
        .or_internal("finding a member")?
        .ok_or_else(|| {
            AppError::conflict(
                fields::EMAIL,
                "Only members of this organization whose address is confirmed can be put in a \
                 group directly. Invite this address into the group instead.",
            )
        })?;
    groups::add_member(pool, &org, &caller.actor, (group_id, member.user_id), manager)
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = user.id, group_id, member = member.user_id, "group member added");
    Ok(())
}

/// The organization and group `group` the caller may put people in, by adding or by inviting
/// them: with `groups/write` on the organization and every action of the roles the group
/// holds, or as one of its managers.
#[cfg(feature = "ssr")]
pub(crate) async fn filling(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
) -> Result<
    (crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>, i64),
    AppError,
> {
    let (org, group_id, as_manager) = membership_changer(caller, organization, group).await?;
    if !as_manager {
        require_holding_its_roles(caller.pool(), caller.user(), org.target(), group_id).await?;
    }
    Ok((org, group_id))
}

/// Whether the person `user_id` (who invited someone into `group`) may still put people in it.
#[cfg(feature = "ssr")]
pub(crate) async fn may_fill(
    state: &crate::server::state::AppState,
    user_id: i64,
    organization: &str,
    group: &str,
) -> Result<bool, AppError> {
    use crate::error::ErrorKind;
    use crate::server::authz::{Caller, Principal};
    use crate::server::db::{audit::Actor, users};
    use crate::server::error::OrInternal;
    let Some(user) = users::find_by_id(&state.pool, user_id).await.or_internal("finding a user")?
    else {
        return Ok(false);
    };
    let principal = Principal::unlimited(user);
    let them = Caller { state: state.clone(), principal, actor: Actor::system("invitation check") };
    match filling(&them, organization, group).await {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The organization and group whose membership the caller may change: with `groups/write` on
/// the organization, or as one of the group's managers who may read the organization's groups
/// (then the third value is true).
#[cfg(feature = "ssr")]
async fn membership_changer(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
) -> Result<
    (crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>, i64, bool),
    AppError,
> {
    use crate::authz::Action;
    use crate::server::db::groups;
    use crate::server::error::OrInternal;
    let (pool, user) = (caller.pool(), caller.user());
    let refused = match caller.organization(organization, Action::GroupsWrite).await {
        Ok(org) => {
            let group_id = super::group_in(pool, &org, group).await?;
            return Ok((org, group_id, false));
        }
        // Only a caller who sees the organization may be one of its groups' managers.
        Err(refused) if refused.kind == crate::error::ErrorKind::Forbidden => refused,
        Err(hidden) => return Err(hidden),
    };
    let org = caller.organization(organization, Action::GroupsRead).await?;
    let group_id = super::group_in(pool, &org, group).await?;
    let manages = groups::is_manager(pool, org.target(), group_id, user.id)
        .await
        .or_internal("reading a group's managers")?;
    if !manages {
        return Err(refused);
    }
    Ok((org, group_id, true))
}

/// Putting someone in a group hands out every role the group holds, so the caller must hold
/// every action each of those roles allows where the group holds it ("never more than you
/// hold", as for a grant): `groups/write` alone cannot make its holder an Owner.
#[cfg(feature = "ssr")]
async fn require_holding_its_roles(
    pool: &crate::server::db::Pool,
    user: &crate::server::db::users::UserRecord,
    org: &crate::server::db::scopes::OrganizationScope,
    group_id: i64,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::domain::role_key;
    use crate::server::authz::{self, giving};
    use crate::server::db::{groups, scopes};
    use crate::server::error::OrInternal;

    let held =
        groups::assignments_of(pool, org, group_id).await.or_internal("reading a group's roles")?;
    for (at, role_name) in held {
        // An assignment at a scope that is gone gives nothing.
        let Some(scope) =
            scopes::by_ref(pool, org.id, at).await.or_internal("resolving a scope")?
        else {
            continue;
        };
        let path = scope.path().to_string();
        let proof = authz::require(pool, user, scope, Action::GroupsWrite).await?;
        let roles = giving::roles_assignable_at(pool, &proof).await?;
        let Some(role) = roles.iter().find(|r| role_key(&r.name) == role_key(&role_name)) else {
            continue;
        };
        let missing = giving::may_give(&proof, role);
        if !missing.is_empty() {
            let opening = format!(
                "Putting someone in this group gives them the role {} at {path}",
                role.name
            );
            return Err(giving::beyond_own_role(&opening, &missing));
        }
    }
    Ok(())
}

/// Takes someone out of a group: the group's roles end for them on their next request.
#[server(endpoint = "groups/remove_member")]
pub async fn remove_group_member(
    organization: String,
    group: String,
    email: String,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    remove(&caller, &organization, &group, &email).await
}

/// Takes the person or service principal with `email` out of `group` of `organization`.
#[cfg(feature = "ssr")]
pub(crate) async fn remove(
    caller: &crate::server::authz::Caller,
    organization: &str,
    group: &str,
    email: &str,
) -> Result<(), AppError> {
    use super::{fields, group_error};
    use crate::domain::Email;
    use crate::server::db::{groups, users};
    use crate::server::error::OrInternal;

    let pool = caller.pool();
    let (org, group_id, _) = membership_changer(caller, organization, group).await?;
    let email = Email::parse(email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let not_member = || AppError::conflict(fields::EMAIL, "Not in this group.");
    let member = users::find_by_email(pool, &email)
        .await
        .or_internal("finding an account")?
        .ok_or_else(not_member)?;
    groups::remove_member(pool, &org, &caller.actor, (group_id, member.id))
        .await
        .map_err(group_error)?;
    let user_id = caller.user().id;
    tracing::info!(user_id, group_id, member = member.id, "group member removed");
    Ok(())
}
