use leptos::prelude::*;

use crate::error::AppError;

/// Gives an assignment made at `scope` a different role. Given by time-boxed access, the
/// changed assignment ends no later than that access.
#[server(endpoint = "access/change")]
pub async fn change_role(scope: String, assignment: i64, role: String) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::authz::giving::grantable_role;
    use crate::server::authz::giving::{grant_ends, roles_assignable_at};
    use crate::server::db::role_assignments::{self, NewRole};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsWrite).await?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, &role, fields::ROLE)?;
    let row = role_assignments::find_at(&state.pool, &proof, assignment)
        .await
        .or_internal("finding an assignment")?
        .ok_or_else(AppError::not_found)?;
    let actor = audit::actor(&user).await;
    let expires_at = grant_ends(&proof, &definition, row.expires_at);
    let new_role = NewRole { name: &definition.name, expires_at };
    role_assignments::change(&state.pool, &proof, &actor, &row, Some(new_role))
        .await
        .map_err(change_error)?;
    revoke_orphaned(&state, &proof, &row).await
}

/// Removes an assignment made at `scope`. Access ends on the person's very next request.
/// Changing who has access at all needs `roleAssignments/write`; removing needs
/// `roleAssignments/delete` as well (as in Azure), so a role that may not write assignments
/// (seed 003's) removes nobody, even though its NotActions leave delete in place.
#[server(endpoint = "access/remove")]
pub async fn remove_role(scope: String, assignment: i64) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    remove(&caller, &scope, assignment).await
}

/// Removes the assignment `assignment` made at `scope`.
#[cfg(feature = "ssr")]
pub(crate) async fn remove(
    caller: &crate::server::authz::Caller,
    scope: &str,
    assignment: i64,
) -> Result<(), AppError> {
    use super::change_error;
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::role_assignments;
    use crate::server::{authz, error::OrInternal};

    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, Action::RoleAssignmentsWrite).await?;
    let proof = authz::also(proof, Action::RoleAssignmentsDelete)?;
    let row = role_assignments::find_at(caller.pool(), &proof, assignment)
        .await
        .or_internal("finding an assignment")?
        .ok_or_else(AppError::not_found)?;
    role_assignments::change(caller.pool(), &proof, &caller.actor, &row, None)
        .await
        .map_err(change_error)?;
    revoke_orphaned(&caller.state, &proof, &row).await
}

/// Invitations go with the access of whoever made them: of the person whose assignment
/// changed, or of everyone in the group whose assignment did.
#[cfg(feature = "ssr")]
async fn revoke_orphaned(
    state: &crate::server::state::AppState,
    proof: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
    row: &crate::server::db::role_assignments::AssignmentRow,
) -> Result<(), AppError> {
    use crate::server::{db::groups, error::OrInternal};
    let org = proof.target().organization().id;
    let people = match (row.user_id, row.group_id) {
        (Some(user), _) => vec![user],
        (None, Some(group)) => groups::member_ids(&state.pool, org, group)
            .await
            .or_internal("listing a group's members")?,
        (None, None) => Vec::new(),
    };
    for person in people {
        crate::api::invitations::revoke_orphaned(state, org, person).await?;
    }
    Ok(())
}
