//! Which role a form names: one of those that can be given here, which the giver may give
//! (the rules themselves are `server::authz::giving`).

use crate::authz::RoleDefinition;
use crate::domain::{role_key, Invalid};
use crate::error::AppError;
use crate::server::authz::giving::require_holding;
use crate::server::authz::Authorized;

use super::fields;

/// The checks every grant shares: the role (named in any letter case) can be given here, and
/// the granter may give it.
pub(crate) fn grantable_role<T>(
    scope: &Authorized<T>,
    roles: &[RoleDefinition],
    role: &str,
) -> Result<RoleDefinition, AppError> {
    let key = role_key(role);
    let definition = roles.iter().find(|r| role_key(&r.name) == key).ok_or_else(|| {
        AppError::invalid_field(fields::ROLE, Invalid::new("Choose one of the listed roles."))
    })?;
    require_holding(scope, definition)?;
    Ok(definition.clone())
}
