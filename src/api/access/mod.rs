//! Access control at a scope: who holds which role here and where it comes from; granting,
//! changing and removing roles; the activity log.

mod activity;
mod change;
mod check;
mod get;
mod grant;
mod grant_group;

pub use activity::{activity_log, ActivityLog};
pub use change::{change_role, remove_role, ChangeRole, RemoveRole};
pub use check::{check_access, CheckAccess};
pub use get::{access_control, AccessControl};
pub use grant::{grant_role, GrantOutcome, GrantRole};
pub use grant_group::{grant_role_to_group, GrantRoleToGroup};

#[cfg(feature = "ssr")]
pub(crate) use change::remove;
#[cfg(feature = "ssr")]
pub(crate) use get::{applying_at, pending_invitations};
#[cfg(feature = "ssr")]
pub(crate) use grant::grant;
#[cfg(feature = "ssr")]
pub(crate) use grant_group::grant_group;

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
    /// The organization's groups, to give one a role (empty unless the caller may give roles).
    pub groups: Vec<String>,
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
    /// A group (`display_name` its name): everyone in it holds the role.
    pub group: bool,
    /// For a group, the addresses of those in it, who hold the role through it.
    pub held_by: Vec<String>,
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

#[cfg(feature = "ssr")]
impl From<crate::server::db::members::Member> for MemberView {
    fn from(m: crate::server::db::members::Member) -> Self {
        Self {
            display_name: m.display_name,
            email: m.email,
            service_principal: m.service_principal,
        }
    }
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
    pub const GROUP: &str = "group";
    pub const ROLE: &str = "role";
    pub const ASSIGNMENT: &str = "assignment";
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
