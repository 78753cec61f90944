//! Access control at a scope: who holds which role here and where it comes from; granting,
//! changing and removing roles; the activity log.

mod activity;
mod change;
mod check;
mod get;
mod grant;

pub use activity::{activity_log, ActivityLog};
pub use change::{change_role, remove_role, ChangeRole, RemoveRole};
pub use check::{check_access, CheckAccess};
pub use get::{access_control, AccessControl};
pub use grant::{grant_role, GrantRole};

use serde::{Deserialize, Serialize};

use crate::authz::Action;
use crate::domain::ScopePath;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub scope: ScopePath,
    pub organization_name: String,
    pub assignments: Vec<AssignmentView>,
    /// Roles that can be given here, marking those the caller may not give.
    pub roles: Vec<RoleChoice>,
    /// People in the organization, to pick from.
    pub members: Vec<MemberView>,
    pub permitted: Vec<Action>,
    /// Pending invitations made here (empty unless the caller may read invitations).
    pub invitations: Vec<crate::api::invitations::PendingInvitation>,
    /// Whether a mail server delivers invitations (else inviters copy links).
    pub mail_configured: bool,
}

impl AccessView {
    pub fn may(&self, action: Action) -> bool {
        self.permitted.contains(&action)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: String,
    /// Where the assignment was made: this scope or an ancestor.
    pub scope: ScopePath,
    pub inherited: bool,
    /// When time-boxed access (from an invitation with an end date) ends.
    pub expires_at: Option<i64>,
    /// A service principal rather than a person.
    pub service_principal: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub name: String,
    pub description: String,
    /// False when the role allows something the caller may not do here themselves.
    pub grantable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub display_name: String,
    pub email: String,
    pub service_principal: bool,
}

impl MemberView {
    /// How pickers name it: service principals say so.
    pub fn label(&self) -> String {
        if self.service_principal {
            format!("{} (service principal)", self.display_name)
        } else {
            self.display_name.clone()
        }
    }
}

/// "Check access": one person's (or service principal's) every action at a scope, with the
/// reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub person: String,
    pub service_principal: bool,
    pub roles: Vec<String>,
    pub checks: Vec<ActionCheck>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCheck {
    pub action: String,
    pub description: String,
    pub allowed: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub scope: String,
    pub target: String,
    pub details: String,
    pub client_address: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub events: Vec<ActivityEvent>,
    /// Pass as `before` for the next (older) page; `None` on the last page.
    pub next_before: Option<i64>,
}

pub mod fields {
    pub const SCOPE: &str = "scope";
    pub const EMAIL: &str = "email";
    pub const ROLE: &str = "role";
    pub const ASSIGNMENT: &str = "assignment";
}

/// The roles that can be given at the proof's scope: the built-in roles, and the
/// organization's custom roles whose `AssignableScopes` cover it.
#[cfg(feature = "ssr")]
pub(crate) async fn roles_assignable_at(
    pool: &crate::server::db::Pool,
    scope: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
) -> Result<Vec<crate::authz::RoleDefinition>, crate::error::AppError> {
    use crate::authz::builtin::builtin_roles;
    use crate::domain::ScopePath;
    use crate::server::db::role_definitions;
    use crate::server::error::OrInternal;
    let here = scope.target().path();
    let custom = role_definitions::for_organization(pool, scope.target().organization().id)
        .await
        .or_internal("loading custom roles")?;
    let assignable = custom.into_iter().filter(|role| {
        role.assignable_scopes.iter().any(|s| ScopePath::parse(s).is_ok_and(|p| p.covers(&here)))
    });
    Ok(builtin_roles().iter().cloned().chain(assignable).collect())
}

/// Whether the holder of `scope`'s proof may give `role`: they hold every action it allows
/// (so no one can hand out more than they have).
#[cfg(feature = "ssr")]
pub(crate) fn may_give(
    scope: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
    role: &crate::authz::RoleDefinition,
) -> Vec<&'static str> {
    Action::ALL
        .iter()
        .filter(|&&a| role.permits(a) && !scope.permits(a))
        .map(|a| a.as_str())
        .collect()
}

/// The checks every grant shares: the role can be given here, and the granter may give it.
#[cfg(feature = "ssr")]
pub(crate) fn grantable_role(
    scope: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
    roles: &[crate::authz::RoleDefinition],
    role: &str,
) -> Result<crate::authz::RoleDefinition, crate::error::AppError> {
    use crate::error::{AppError, ErrorKind};
    let definition = roles.iter().find(|r| r.name.eq_ignore_ascii_case(role)).ok_or_else(|| {
        AppError::invalid_field(
            fields::ROLE,
            crate::domain::Invalid::new("Choose one of the listed roles."),
        )
    })?;
    let missing = may_give(scope, definition);
    if !missing.is_empty() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            format!(
                "You cannot give the role {} here: it allows what your own role does not ({}{}).",
                definition.name,
                missing.iter().take(3).copied().collect::<Vec<_>>().join(", "),
                if missing.len() > 3 { ", …" } else { "" }
            ),
        ));
    }
    Ok(definition.clone())
}

#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::role_assignments::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::role_assignments::ChangeError;
    match error {
        ChangeError::AlreadyAssigned => {
            AppError::conflict(fields::ROLE, "This person already has that role here.")
        }
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::LastOwner => AppError::new(
            ErrorKind::Conflict,
            "This is the last Owner here. Make someone else Owner first, then change or remove this role.",
        ),
        ChangeError::Database(e) => crate::server::error::internal("changing a role assignment", e),
    }
}
