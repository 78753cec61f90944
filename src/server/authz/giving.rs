//! The rules every way of handing out a role shares (granting, changing, inviting, project
//! set-up, and saving a role that is already given): the role can be given where it is given,
//! the giver holds every action it allows there ("never more than you hold"), and what time-boxed
//! access gives ends no later than that access.

use crate::authz::{Action, RoleDefinition};
use crate::domain::{role_key, Invalid, ScopePath};
use crate::error::{AppError, ErrorKind};
use crate::server::db::scopes::AnyScope;
use crate::server::db::{role_definitions, Pool};
use crate::server::error::OrInternal;

use super::Authorized;

/// The roles that can be given at the proof's scope: the built-in roles, and the
/// organization's custom roles whose `AssignableScopes` cover it.
pub async fn roles_assignable_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
) -> Result<Vec<RoleDefinition>, AppError> {
    use crate::authz::builtin::builtin_roles;
    let here = scope.target().path();
    let custom = role_definitions::for_organization(pool, scope.target().organization().id)
        .await
        .or_internal("loading custom roles")?;
    let assignable = custom.into_iter().filter(|role| {
        role.assignable_scopes.iter().any(|s| ScopePath::parse(s).is_ok_and(|p| p.covers(&here)))
    });
    Ok(builtin_roles().iter().cloned().chain(assignable).collect())
}

/// The checks every grant shares: the role `role` names (in any letter case) can be given
/// here, and the granter may give it. A name that is not one of `roles` is refused on `field`.
pub fn grantable_role<T>(
    scope: &Authorized<T>,
    roles: &[RoleDefinition],
    role: &str,
    field: &'static str,
) -> Result<RoleDefinition, AppError> {
    let key = role_key(role);
    let definition = roles.iter().find(|r| role_key(&r.name) == key).ok_or_else(|| {
        AppError::invalid_field(field, Invalid::new("Choose one of the listed roles."))
    })?;
    require_holding(scope, definition)?;
    Ok(definition.clone())
}

/// The actions `role` allows that the holder of the proof may not perform at its scope: empty
/// when they may give it (so no one hands out more than they have).
pub fn may_give<T>(scope: &Authorized<T>, role: &RoleDefinition) -> Vec<&'static str> {
    Action::ALL
        .iter()
        .filter(|&&a| role.permits(a) && !scope.permits(a))
        .map(|a| a.as_str())
        .collect()
}

/// Refuses `role` unless the proof's holder holds every action it allows at the proof's scope.
pub fn require_holding<T>(scope: &Authorized<T>, role: &RoleDefinition) -> Result<(), AppError> {
    let missing = may_give(scope, role);
    if missing.is_empty() {
        return Ok(());
    }
    Err(beyond_own_role(&format!("You cannot give the role {} here", role.name), &missing))
}

/// The refusal when something would allow `missing`, actions the caller does not hold.
pub fn beyond_own_role(opening: &str, missing: &[&str]) -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        format!(
            "{opening}: it allows what your own role does not ({}{}).",
            missing.iter().take(3).copied().collect::<Vec<_>>().join(", "),
            if missing.len() > 3 { ", …" } else { "" }
        ),
    )
}

/// When a grant of `role` made with this proof ends: when asked (`requested`, `None` for no
/// end), but no later than the granter's own access to give it — their `roleAssignments/write`
/// and every action the role allows. Time-boxed access so hands on only time-boxed access.
pub fn grant_ends<T>(
    scope: &Authorized<T>,
    role: &RoleDefinition,
    requested: Option<i64>,
) -> Option<i64> {
    let needed = Action::ALL.iter().copied().filter(|&a| role.permits(a));
    let authority =
        scope.permitted_until(std::iter::once(Action::RoleAssignmentsWrite).chain(needed));
    match (requested, authority) {
        (Some(asked), Some(limit)) => Some(asked.min(limit)),
        (asked, limit) => asked.or(limit),
    }
}
