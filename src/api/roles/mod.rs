//! Role definitions: the built-in roles and an organization's custom roles.

mod delete;
#[cfg(feature = "ssr")]
mod holding;
mod list;
mod save;

pub use delete::{delete_role, DeleteRole};
pub use list::{list_roles, ListRoles};
pub use save::{save_role, SaveRole};

#[cfg(feature = "ssr")]
pub(crate) use delete::delete;
#[cfg(feature = "ssr")]
pub(crate) use list::roles_of;
#[cfg(feature = "ssr")]
pub(crate) use save::save;

use serde::{Deserialize, Serialize};

use crate::authz::{Action, RoleDefinition};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolesView {
    pub organization_slug: String,
    pub organization_name: String,
    pub roles: Vec<RoleDefinition>,
    pub permitted: Vec<Action>,
}

/// What saving a role answers: patterns that match no known action (probably typos), and
/// notes worth reading before giving the role (see [`crate::authz::role_json::notes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRole {
    pub unmatched: Vec<String>,
    pub notes: Vec<String>,
}

pub mod fields {
    pub const ORGANIZATION: &str = "organization";
    pub const ORIGINAL: &str = "original";
    pub const NAME: &str = "name";
    pub const DESCRIPTION: &str = "description";
    pub const ACTIONS: &str = "actions";
    pub const NOT_ACTIONS: &str = "not_actions";
    pub const ASSIGNABLE_SCOPES: &str = "assignable_scopes";
    pub const JSON: &str = "json";

    use crate::authz::role_json::RoleField;

    /// The form field a role-definition problem belongs beside.
    pub fn for_role_field(field: RoleField) -> &'static str {
        match field {
            RoleField::Name => NAME,
            RoleField::Description => DESCRIPTION,
            RoleField::Actions => ACTIONS,
            RoleField::NotActions => NOT_ACTIONS,
            RoleField::AssignableScopes => ASSIGNABLE_SCOPES,
            RoleField::Json => JSON,
        }
    }
}

/// One pattern or scope a line, as the form's text areas hold them.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// `text` with `line` added as its last line, unless it is there already (patterns are
/// case-insensitive, so a different casing counts as there).
pub fn with_line(text: &str, line: &str) -> String {
    let mut all = lines(text);
    if !all.iter().any(|l| l.eq_ignore_ascii_case(line)) {
        all.push(line.to_owned());
    }
    all.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_line_appends_once_and_tidies_blank_lines() {
        assert_eq!(with_line("", "a/read"), "a/read");
        assert_eq!(with_line("a/read\n\n", "b/write"), "a/read\nb/write");
        assert_eq!(with_line("A/Read", "a/read"), "A/Read");
    }
}
