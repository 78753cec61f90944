use leptos::prelude::*;

use crate::error::AppError;

/// Gives an assignment made at `scope` a different role.
#[server(endpoint = "access/change")]
pub async fn change_role(scope: String, assignment: i64, role: String) -> Result<(), AppError> {
    use super::{change_error, grantable_role, roles_assignable_at};
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::role_assignments;
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsWrite).await?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, &role)?;
    let row = role_assignments::find_at(&state.pool, &proof, assignment)
        .await
        .or_internal("finding an assignment")?
        .ok_or_else(AppError::not_found)?;
    let actor = audit::actor(&user).await;
    role_assignments::change(&state.pool, &proof, &actor, &row, Some(&definition.name))
        .await
        .map_err(change_error)?;
    let org = proof.target().organization().id;
    crate::api::invitations::revoke_orphaned(&state, org, row.user_id).await
}

/// Removes an assignment made at `scope`. Access ends on the person's very next request.
#[server(endpoint = "access/remove")]
pub async fn remove_role(scope: String, assignment: i64) -> Result<(), AppError> {
    use super::change_error;
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::role_assignments;
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsDelete).await?;
    let row = role_assignments::find_at(&state.pool, &proof, assignment)
        .await
        .or_internal("finding an assignment")?
        .ok_or_else(AppError::not_found)?;
    let actor = audit::actor(&user).await;
    role_assignments::change(&state.pool, &proof, &actor, &row, None)
        .await
        .map_err(change_error)?;
    // Their invitations go with their access.
    let org = proof.target().organization().id;
    crate::api::invitations::revoke_orphaned(&state, org, row.user_id).await
}
