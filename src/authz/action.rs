//! Every operation Atelier performs, by the Azure action string it answers to. This is the only
//! place an action string is spelled; role definitions hold patterns that match these.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $string:literal, $doc:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Action {
            $(#[doc = $doc] $variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The Azure action string, e.g. `Microsoft.MachineLearningServices/workspaces/read`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $string,)*
                }
            }

            /// What the action lets someone do, in a few words.
            pub fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $doc,)*
                }
            }
        }
    };
}

actions! {
    OrganizationsRead => "Microsoft.Resources/subscriptions/read",
        "See the organization";
    OrganizationsWrite => "Microsoft.Resources/subscriptions/write",
        "Rename the organization";
    ResourceGroupsRead => "Microsoft.Resources/subscriptions/resourceGroups/read",
        "See resource groups";
    ResourceGroupsWrite => "Microsoft.Resources/subscriptions/resourceGroups/write",
        "Create and rename resource groups";
    ResourceGroupsDelete => "Microsoft.Resources/subscriptions/resourceGroups/delete",
        "Delete empty resource groups";
    WorkspacesRead => "Microsoft.MachineLearningServices/workspaces/read",
        "See workspaces and their settings";
    WorkspacesWrite => "Microsoft.MachineLearningServices/workspaces/write",
        "Create workspaces and change their settings";
    WorkspacesDelete => "Microsoft.MachineLearningServices/workspaces/delete",
        "Delete, restore and purge workspaces";
    RoleAssignmentsRead => "Microsoft.Authorization/roleAssignments/read",
        "See who has which role";
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Action;
    use std::collections::HashSet;

    #[test]
    fn every_action_string_is_distinct() {
        let strings: HashSet<_> = Action::ALL.iter().map(|a| a.as_str().to_lowercase()).collect();
        assert_eq!(strings.len(), Action::ALL.len());
    }

    #[test]
    fn action_strings_have_the_azure_shape() {
        for action in Action::ALL {
            let s = action.as_str();
            assert!(s.starts_with("Microsoft."), "{s}");
            let last = s.rsplit('/').next().unwrap();
            assert!(["read", "write", "delete", "action"].contains(&last), "{s}");
        }
    }
}
