//! "Never more than you hold", applied to saving a role: a role's definition is what everyone
//! holding it may do, so whoever saves it must hold every action it allows at every scope where
//! it is assignable (it may be given there) or already assigned (it is held there). The rule is
//! the one granting uses ([`crate::server::authz::giving::may_give`]).

use crate::authz::{Action, RoleDefinition};
use crate::domain::{Invalid, ScopePath};
use crate::error::AppError;
use crate::server::authz::{self, Authorized};
use crate::server::db::scopes::{self, OrganizationScope};
use crate::server::db::users::UserRecord;
use crate::server::db::{role_assignments, Pool};
use crate::server::error::OrInternal;

use super::fields;

/// Refuses `role` where the saver could not grant it themselves.
fn require_holding<T>(
    proof: &Authorized<T>,
    role: &RoleDefinition,
    scope: &str,
) -> Result<(), AppError> {
    use crate::server::authz::giving::{beyond_own_role, may_give};
    let missing = may_give(proof, role);
    if missing.is_empty() {
        return Ok(());
    }
    let opening = format!("You cannot save the role {} like this, as at {scope}", role.name);
    Err(beyond_own_role(&opening, &missing))
}

/// Each of the role's assignable scopes lies in the organization, the saver may write role
/// definitions there, and holds every action the role allows there.
pub(super) async fn require_at_assignable_scopes(
    pool: &Pool,
    user: &UserRecord,
    org: &Authorized<OrganizationScope>,
    role: &RoleDefinition,
) -> Result<(), AppError> {
    for scope in &role.assignable_scopes {
        let path = ScopePath::parse(scope)
            .map_err(|e| AppError::invalid_field(fields::ASSIGNABLE_SCOPES, e))?;
        let outside = match &path {
            ScopePath::Organization { org: o }
            | ScopePath::ResourceGroup { org: o, .. }
            | ScopePath::Workspace { org: o, .. } => *o != org.target().slug,
            ScopePath::Root => true,
        };
        if outside {
            return Err(AppError::invalid_field(
                fields::ASSIGNABLE_SCOPES,
                Invalid::new(format!("{scope} is outside this organization.")),
            ));
        }
        let proof =
            authz::scope(pool, user, &path, Action::RoleDefinitionsWrite).await.map_err(|e| {
                AppError::invalid_field(
                    fields::ASSIGNABLE_SCOPES,
                    Invalid::new(format!(
                        "You may not create roles at {scope} ({}).",
                        e.message.trim_end_matches('.')
                    )),
                )
            })?;
        require_holding(&proof, role, scope)?;
    }
    Ok(())
}

/// Wherever the role being replaced (`original`, in any letter case) is assigned, the saver
/// holds every action the new definition allows: its holders there get exactly that.
pub(super) async fn require_where_assigned(
    pool: &Pool,
    user: &UserRecord,
    org: &Authorized<OrganizationScope>,
    original: &str,
    role: &RoleDefinition,
) -> Result<(), AppError> {
    let org_id = org.target().id;
    let held = role_assignments::scopes_holding(pool, org_id, original)
        .await
        .or_internal("finding where a role is assigned")?;
    for at in held {
        let scope = scopes::by_ref(pool, org_id, at).await.or_internal("resolving a scope")?;
        // An assignment at a scope that is gone gives nothing.
        let Some(scope) = scope else { continue };
        let path = scope.path().to_string();
        let proof = authz::require(pool, user, scope, Action::RoleDefinitionsWrite).await?;
        require_holding(&proof, role, &path)?;
    }
    Ok(())
}
