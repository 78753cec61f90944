//! Role presets for the project template (seed 004): data scientists work freely in
//! development and read test and production; workspace admins manage compute and who has
//! access.

use super::builtin::{DATA_SCIENTIST, READER};
use super::RoleDefinition;
use crate::domain::Environment;

pub const WORKSPACE_ADMIN: &str = "Workspace admin";

/// The custom role the template creates in an organization that has none by this name.
pub fn workspace_admin(organization_slug: &str) -> RoleDefinition {
    RoleDefinition {
        name: WORKSPACE_ADMIN.to_owned(),
        is_custom: true,
        description: "Manages compute and role assignments; reads everything else.".to_owned(),
        actions: vec![
            "*/read".to_owned(),
            "Microsoft.MachineLearningServices/workspaces/computes/*".to_owned(),
            "Microsoft.Authorization/roleAssignments/*".to_owned(),
        ],
        not_actions: Vec::new(),
        assignable_scopes: vec![format!("/organizations/{organization_slug}")],
    }
}

/// The role data scientists get in a workspace of this environment.
pub fn data_scientist_role_for(environment: Environment) -> &'static str {
    match environment {
        Environment::Development => DATA_SCIENTIST,
        Environment::Test | Environment::Production => READER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Action;

    #[test]
    fn a_workspace_admin_manages_compute_and_access_but_not_the_work() {
        let admin = workspace_admin("contoso");
        assert!(admin.permits(Action::ComputesWrite));
        assert!(admin.permits(Action::ComputesStart));
        assert!(admin.permits(Action::RoleAssignmentsWrite));
        assert!(admin.permits(Action::RunsRead));
        assert!(!admin.permits(Action::RunsSubmit));
        assert!(!admin.permits(Action::WorkspacesDelete));
        assert!(!admin.permits(Action::RoleDefinitionsWrite));
    }

    #[test]
    fn data_scientists_write_only_in_development() {
        assert_eq!(data_scientist_role_for(Environment::Development), DATA_SCIENTIST);
        assert_eq!(data_scientist_role_for(Environment::Production), READER);
    }
}
