//! The built-in roles, as Azure defines them (DESIGN.md §3). They cannot be edited or deleted.

use std::sync::OnceLock;

use super::RoleDefinition;

pub const OWNER: &str = "Owner";
pub const CONTRIBUTOR: &str = "Contributor";
pub const READER: &str = "Reader";
pub const DATA_SCIENTIST: &str = "AzureML Data Scientist";
pub const COMPUTE_OPERATOR: &str = "AzureML Compute Operator";

const ML: &str = "Microsoft.MachineLearningServices";

pub fn builtin_roles() -> &'static [RoleDefinition] {
    static ROLES: OnceLock<Vec<RoleDefinition>> = OnceLock::new();
    ROLES.get_or_init(|| {
        let role = |name: &str, description: &str, actions: Vec<String>, not_actions: Vec<String>| {
            RoleDefinition {
                name: name.to_owned(),
                is_custom: false,
                description: description.to_owned(),
                actions,
                not_actions,
                assignable_scopes: vec!["/".to_owned()],
            }
        };
        let ml = |suffix: &str| format!("{ML}/{suffix}");
        vec![
            role(OWNER, "Full access, including granting roles to others.", vec!["*".into()], vec![]),
            role(
                CONTRIBUTOR,
                "Create and manage everything, but not who has access.",
                vec!["*".into()],
                vec!["Microsoft.Authorization/*/write".into(), "Microsoft.Authorization/*/delete".into()],
            ),
            role(READER, "See everything, change nothing.", vec!["*/read".into()], vec![]),
            role(
                DATA_SCIENTIST,
                "Work inside a workspace (experiments, runs, models, data) without changing the workspace, its compute or its keys.",
                ["workspaces/*/read", "workspaces/*/action", "workspaces/*/delete", "workspaces/*/write"]
                    .map(ml)
                    .to_vec(),
                [
                    "workspaces/delete",
                    "workspaces/write",
                    "workspaces/computes/*/write",
                    "workspaces/computes/*/delete",
                    "workspaces/computes/listKeys/action",
                    "workspaces/listKeys/action",
                ]
                .map(ml)
                .to_vec(),
            ),
            role(
                COMPUTE_OPERATOR,
                "Create, manage and use compute in a workspace.",
                ["workspaces/computes/*", "workspaces/read"].map(ml).to_vec(),
                vec![],
            ),
        ]
    })
}

pub fn builtin_role(name: &str) -> Option<&'static RoleDefinition> {
    // Built-in names are ASCII, so their key is their ASCII lower case.
    let key = crate::domain::role_key(name);
    builtin_roles().iter().find(|role| role.name.to_ascii_lowercase() == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Action;

    fn role(name: &str) -> &'static RoleDefinition {
        builtin_role(name).unwrap()
    }

    #[test]
    fn owner_may_do_everything() {
        assert!(Action::ALL.iter().all(|&a| role(OWNER).permits(a)));
    }

    #[test]
    fn reader_may_only_read() {
        for &action in Action::ALL {
            assert_eq!(
                role(READER).permits(action),
                action.as_str().ends_with("/read"),
                "{action}"
            );
        }
    }

    /// Every built-in role against a representative action of every kind.
    #[test]
    fn built_in_roles_permit_what_azure_says() {
        use Action::*;
        let table: [(Action, [bool; 5]); 17] = [
            //                       Owner  Contrib Reader Scientist ComputeOp
            (WorkspacesRead, [true, true, true, true, true]),
            (WorkspacesWrite, [true, true, false, false, false]),
            (WorkspacesDelete, [true, true, false, false, false]),
            (RunsSubmit, [true, true, false, true, false]),
            (RunsRead, [true, true, true, true, false]),
            (ModelsWrite, [true, true, false, true, false]),
            (ModelsDelete, [true, true, false, true, false]),
            (DatasetsRead, [true, true, true, true, false]),
            (DatasetsWrite, [true, true, false, true, false]),
            (DatasetsDelete, [true, true, false, true, false]),
            (ComputesWrite, [true, true, false, false, true]),
            (ComputesStart, [true, true, false, true, true]),
            (ComputesListKeys, [true, true, false, false, true]),
            (DatastoresListSecrets, [true, true, false, true, false]),
            (ResourceGroupsRead, [true, true, true, false, false]),
            (RoleAssignmentsWrite, [true, false, false, false, false]),
            (RoleAssignmentsRead, [true, true, true, false, false]),
        ];
        let roles = [OWNER, CONTRIBUTOR, READER, DATA_SCIENTIST, COMPUTE_OPERATOR];
        for (action, expected) in table {
            for (name, allowed) in roles.iter().zip(expected) {
                assert_eq!(role(name).permits(action), allowed, "{name} × {action}");
            }
        }
    }

    /// Online endpoints: data scientists manage them (their NotActions spare endpoints), readers
    /// and compute operators do not.
    #[test]
    fn data_scientists_manage_online_endpoints() {
        use Action::*;
        for action in [EndpointsRead, EndpointsWrite, EndpointsDelete] {
            assert!(role(DATA_SCIENTIST).permits(action), "{action}");
            assert!(role(CONTRIBUTOR).permits(action), "{action}");
            assert_eq!(role(READER).permits(action), action == EndpointsRead, "{action}");
            assert!(!role(COMPUTE_OPERATOR).permits(action), "{action}");
        }
    }

    #[test]
    fn built_in_names_are_found_in_any_letter_case() {
        assert_eq!(builtin_role("owner").unwrap().name, OWNER);
        assert_eq!(builtin_role("\u{FF2F}WNER").unwrap().name, OWNER, "full-width letters too");
        assert!(builtin_role("Janitor").is_none());
    }
}
