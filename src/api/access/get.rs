use leptos::prelude::*;

use super::AccessView;
use crate::error::AppError;

/// Who holds which role at `scope`, made there or inherited, and what the caller may change.
#[server(endpoint = "access/get")]
pub async fn access_control(scope: String) -> Result<AccessView, AppError> {
    use super::{AssignmentView, MemberView, RoleChoice};
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::authz::giving::{may_give, roles_assignable_at};
    use crate::server::db::{groups, members};
    use crate::server::error::OrInternal;

    let caller = crate::server::authz::Caller::current().await?;
    let state = &caller.state;
    let (proof, rows) = applying_at(&caller, &scope).await?;
    let target = proof.target();
    let chain = target.chain_paths();
    let here = target.scope_ref();
    let members = members::members(&state.pool, target.organization().id)
        .await
        .or_internal("listing members")?;
    // Who holds each group's roles through it, for the group's rows.
    let held_by = if rows.iter().any(|row| row.group_id.is_some()) {
        groups::holders_at(&state.pool, &proof).await.or_internal("listing group members")?
    } else {
        Default::default()
    };
    let groups = if proof.permits(Action::RoleAssignmentsWrite) {
        groups::names(&state.pool, target.organization()).await.or_internal("listing groups")?
    } else {
        Vec::new()
    };
    Ok(AccessView {
        groups,
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
                expires_at: row.expires_at,
                service_principal: row.service_principal,
                held_by: row.group_id.and_then(|id| held_by.get(&id).cloned()).unwrap_or_default(),
                group: row.group_id.is_some(),
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
        members: members.into_iter().map(MemberView::from).collect(),
        permitted: proof.permitted_actions(),
        invitations: pending_invitations(state, &proof).await?,
        mail_configured: state.settings.smtp.is_some(),
    })
}

/// The pending invitations made at the proof's scope, for whoever may read them there (else
/// none).
#[cfg(feature = "ssr")]
pub(crate) async fn pending_invitations(
    state: &crate::server::state::AppState,
    proof: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
) -> Result<Vec<crate::api::invitations::PendingInvitation>, AppError> {
    use crate::api::invitations::pending_view;
    use crate::authz::Action;
    use crate::server::db::invitations;
    use crate::server::error::OrInternal;
    if !proof.permits(Action::InvitationsRead) {
        return Ok(Vec::new());
    }
    let (now, mail) = (state.clock.now(), state.settings.smtp.is_some());
    Ok(invitations::pending_at(&state.pool, proof)
        .await
        .or_internal("listing invitations")?
        .into_iter()
        .map(|row| pending_view(row, mail, now))
        .collect())
}

/// The assignments that apply at `scope` (made there or above), for whoever may read them.
#[cfg(feature = "ssr")]
pub(crate) async fn applying_at(
    caller: &crate::server::authz::Caller,
    scope: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
        Vec<crate::server::db::role_assignments::AssignmentRow>,
    ),
    AppError,
> {
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::db::role_assignments;
    use crate::server::error::OrInternal;

    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, Action::RoleAssignmentsRead).await?;
    let rows = role_assignments::applying_at(caller.pool(), &proof)
        .await
        .or_internal("listing assignments")?;
    Ok((proof, rows))
}
