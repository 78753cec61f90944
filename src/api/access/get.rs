use leptos::prelude::*;

use super::AccessView;
use crate::error::AppError;

/// Who holds which role at `scope`, made there or inherited, and what the caller may change.
#[server(endpoint = "access/get")]
pub async fn access_control(scope: String) -> Result<AccessView, AppError> {
    use super::{may_give, roles_assignable_at};
    use super::{AssignmentView, MemberView, RoleChoice};
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::role_assignments;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsRead).await?;
    let target = proof.target();
    let chain = target.chain_paths();
    let here = target.scope_ref();
    let rows = role_assignments::applying_at(&state.pool, &proof)
        .await
        .or_internal("listing assignments")?;
    let members = role_assignments::members(&state.pool, target.organization().id)
        .await
        .or_internal("listing members")?;
    Ok(AccessView {
        scope: target.path(),
        organization_name: target.organization().name.clone(),
        assignments: rows
            .into_iter()
            .map(|row| AssignmentView {
                id: row.id,
                display_name: row.display_name,
                email: row.email,
                role: row.role_name,
                scope: chain
                    .iter()
                    .find(|(r, _)| *r == row.scope)
                    .map(|(_, p)| p.clone())
                    .unwrap_or(ScopePath::Root),
                inherited: row.scope != here,
            })
            .collect(),
        roles: roles_assignable_at(&state.pool, &proof)
            .await?
            .into_iter()
            .map(|role| RoleChoice {
                grantable: may_give(&proof, &role).is_empty(),
                name: role.name,
                description: role.description,
            })
            .collect(),
        members: members
            .into_iter()
            .map(|m| MemberView { display_name: m.display_name, email: m.email })
            .collect(),
        permitted: proof.permitted_actions(),
    })
}
