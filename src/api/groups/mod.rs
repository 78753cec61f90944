//! Groups (teams) of an organization: people and service principals given roles together
//! (seed 001: "only users in the administrators group create compute targets and datastores,
//! while users in the data scientists group create and run jobs and register models").
//!
//! Guards: reading the groups needs `groups/read` on the organization; creating one and
//! changing who is in it, `groups/write`. Being put in a group gives its roles, so only a
//! member whose address is confirmed (or a service principal) may be added, as for a grant;
//! anyone else is invited into the group, and is put in it on accepting.

mod change;
mod create;
mod invite;
mod list;
mod members;

pub use change::{delete_group, update_group, DeleteGroup, UpdateGroup};
pub use create::{create_group, CreateGroup};
pub use invite::{invite_to_group, InviteToGroup};
pub use list::{list_groups, ListGroups};
pub use members::{add_group_member, remove_group_member, AddGroupMember, RemoveGroupMember};

#[cfg(feature = "ssr")]
pub(crate) use change::delete;
#[cfg(feature = "ssr")]
pub(crate) use create::create;
#[cfg(feature = "ssr")]
pub(crate) use invite::invite;
#[cfg(feature = "ssr")]
pub(crate) use list::groups_of;
#[cfg(feature = "ssr")]
pub(crate) use members::{add, filling, may_fill, remove};

use serde::{Deserialize, Serialize};

use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberRow {
    pub display_name: String,
    pub email: String,
    pub service_principal: bool,
    /// May change the group's membership.
    pub manager: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub description: String,
    pub members: Vec<GroupMemberRow>,
    /// Role assignments the group holds in the organization.
    pub assignments: i64,
    /// The caller is one of its managers: may add and remove members without `groups/write`.
    pub you_manage: bool,
    /// Invitations into the group not yet answered (for those who may change its members).
    pub invited: Vec<crate::api::invitations::PendingInvitation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupsView {
    pub organization_slug: String,
    pub organization_name: String,
    pub groups: Vec<GroupRow>,
    /// What the caller may do in the organization (to show the forms they may use).
    pub permitted: Vec<Action>,
    /// The organization's members, to pick from when adding one to a group (empty when the
    /// caller may change no group's membership).
    pub candidates: Vec<crate::api::access::MemberView>,
}

impl GroupsView {
    pub fn may(&self, action: Action) -> bool {
        self.permitted.contains(&action)
    }

    /// Whether the caller may add and remove members of `group`.
    pub fn may_change_members(&self, group: &GroupRow) -> bool {
        group.you_manage || self.may(Action::GroupsWrite)
    }
}

pub mod fields {
    pub const ORGANIZATION: &str = "organization";
    pub const GROUP: &str = "group";
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const EMAIL: &str = "email";
    pub const MANAGER: &str = "manager";
    pub const CONFIRM_NAME: &str = "confirm_name";
    pub const REMOVE_ACCESS: &str = "remove_access";
}

/// What a form's answer about group `group` is kept under for the page a plain post goes back
/// to (`api::plain_form::keep_answer`): its name as compared, so the page finds it whatever
/// letter case the form sent.
pub fn answer_key(group: &str) -> String {
    group.trim().to_lowercase()
}

/// Whether a checkbox was ticked ("on" from a form, "true" from a script).
#[cfg(feature = "ssr")]
pub(crate) fn checked(value: &str) -> bool {
    matches!(value, "on" | "true")
}

/// The Groups page of the proof's organization, showing group `name`.
#[cfg(feature = "ssr")]
pub(crate) fn page_of(
    org: &crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
    name: &str,
) -> String {
    let query: String =
        url::form_urlencoded::Serializer::new(String::new()).append_pair("group", name).finish();
    format!("{}/groups?{query}", org.target().path())
}

/// The organization's group called `name`; "not found" otherwise.
#[cfg(feature = "ssr")]
pub(crate) async fn group_in(
    pool: &crate::server::db::Pool,
    org: &crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
    name: &str,
) -> Result<i64, crate::error::AppError> {
    use crate::server::error::OrInternal;
    crate::server::db::groups::named(pool, org.target(), name)
        .await
        .or_internal("finding a group")?
        .ok_or_else(crate::error::AppError::not_found)
}

/// What a refused change to a group says, at the field it is about.
#[cfg(feature = "ssr")]
pub(crate) fn group_error(error: crate::server::db::groups::GroupError) -> crate::error::AppError {
    use crate::error::AppError;
    use crate::server::db::groups::GroupError;
    match error {
        GroupError::NameTaken => AppError::conflict(
            fields::NAME,
            "This organization already has a group of that name (letter case aside).",
        ),
        GroupError::NotFound => AppError::not_found(),
        GroupError::AlreadyMember => AppError::conflict(fields::EMAIL, "Already in this group."),
        GroupError::NotMember => AppError::conflict(fields::EMAIL, "Not in this group."),
        GroupError::LastOwner(path) => AppError::new(
            crate::error::ErrorKind::Conflict,
            format!(
                "The group is the last Owner of {path} (a group's Owner role counts only while \
                 it has members). Make someone else Owner there first."
            ),
        ),
        GroupError::HoldsAccess(held) => AppError::conflict(
            fields::REMOVE_ACCESS,
            format!(
                "This group holds {}. Remove those role assignments first, or tick “Remove its \
                 access too”.",
                held.join(", ")
            ),
        ),
        GroupError::Database(e) => crate::server::error::internal("changing a group", e),
    }
}
