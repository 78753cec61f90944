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

            /// Whether the action only reads (what a read-only token may do).
            pub fn is_read(self) -> bool {
                self.as_str().ends_with("/read")
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
    // The organization (Azure: the subscription) and its resource groups.
    OrganizationsRead => "Microsoft.Resources/subscriptions/read", "See the organization";
    OrganizationsWrite => "Microsoft.Resources/subscriptions/write", "Rename the organization";
    ResourceGroupsRead => "Microsoft.Resources/subscriptions/resourceGroups/read",
        "See resource groups";
    ResourceGroupsWrite => "Microsoft.Resources/subscriptions/resourceGroups/write",
        "Create and rename resource groups";
    ResourceGroupsDelete => "Microsoft.Resources/subscriptions/resourceGroups/delete",
        "Delete empty resource groups";
    // Workspaces.
    WorkspacesRead => "Microsoft.MachineLearningServices/workspaces/read",
        "See workspaces and their settings";
    WorkspacesWrite => "Microsoft.MachineLearningServices/workspaces/write",
        "Create workspaces and change their settings";
    WorkspacesDelete => "Microsoft.MachineLearningServices/workspaces/delete",
        "Delete, restore and purge workspaces";
    WorkspacesListKeys => "Microsoft.MachineLearningServices/workspaces/listKeys/action",
        "Read the workspace's keys";
    // Experiments and runs.
    ExperimentsRead => "Microsoft.MachineLearningServices/workspaces/experiments/read",
        "See experiments";
    ExperimentsWrite => "Microsoft.MachineLearningServices/workspaces/experiments/write",
        "Create and change experiments";
    ExperimentsDelete => "Microsoft.MachineLearningServices/workspaces/experiments/delete",
        "Delete experiments";
    RunsRead => "Microsoft.MachineLearningServices/workspaces/experiments/runs/read",
        "See runs, their metrics, logs and outputs";
    RunsWrite => "Microsoft.MachineLearningServices/workspaces/experiments/runs/write",
        "Change runs and log metrics";
    RunsDelete => "Microsoft.MachineLearningServices/workspaces/experiments/runs/delete",
        "Delete runs";
    RunsSubmit => "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action",
        "Submit runs";
    // Models.
    ModelsRead => "Microsoft.MachineLearningServices/workspaces/models/read", "See models";
    ModelsWrite => "Microsoft.MachineLearningServices/workspaces/models/write",
        "Register and change models";
    ModelsDelete => "Microsoft.MachineLearningServices/workspaces/models/delete",
        "Delete models";
    ModelsStageWrite => "Microsoft.MachineLearningServices/workspaces/models/stage/write",
        "Move model versions between stages";
    // Data.
    DatasetsRead => "Microsoft.MachineLearningServices/workspaces/datasets/registered/read",
        "See datasets";
    DatasetsWrite => "Microsoft.MachineLearningServices/workspaces/datasets/registered/write",
        "Register and change datasets";
    DatasetsDelete => "Microsoft.MachineLearningServices/workspaces/datasets/registered/delete",
        "Delete datasets";
    DatastoresRead => "Microsoft.MachineLearningServices/workspaces/datastores/read",
        "See datastores";
    DatastoresWrite => "Microsoft.MachineLearningServices/workspaces/datastores/write",
        "Create and change datastores";
    DatastoresDelete => "Microsoft.MachineLearningServices/workspaces/datastores/delete",
        "Delete datastores";
    DatastoresListSecrets =>
        "Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action",
        "Read datastore credentials";
    // Compute.
    ComputesRead => "Microsoft.MachineLearningServices/workspaces/computes/read",
        "See compute";
    ComputesWrite => "Microsoft.MachineLearningServices/workspaces/computes/write",
        "Create and change compute";
    ComputesDelete => "Microsoft.MachineLearningServices/workspaces/computes/delete",
        "Delete compute";
    ComputesStart => "Microsoft.MachineLearningServices/workspaces/computes/start/action",
        "Start compute";
    ComputesStop => "Microsoft.MachineLearningServices/workspaces/computes/stop/action",
        "Stop compute";
    ComputesRestart => "Microsoft.MachineLearningServices/workspaces/computes/restart/action",
        "Restart compute";
    ComputesListKeys => "Microsoft.MachineLearningServices/workspaces/computes/listKeys/action",
        "Read compute keys";
    // Environments, pipelines, endpoints.
    EnvironmentsRead => "Microsoft.MachineLearningServices/workspaces/environments/read",
        "See environments";
    EnvironmentsWrite => "Microsoft.MachineLearningServices/workspaces/environments/write",
        "Create and change environments";
    EnvironmentsDelete => "Microsoft.MachineLearningServices/workspaces/environments/delete",
        "Delete environments";
    PipelinesRead => "Microsoft.MachineLearningServices/workspaces/pipelines/read",
        "See pipelines";
    PipelinesWrite => "Microsoft.MachineLearningServices/workspaces/pipelines/write",
        "Create, change and run pipelines";
    PipelinesDelete => "Microsoft.MachineLearningServices/workspaces/pipelines/delete",
        "Delete pipelines";
    EndpointsRead => "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/read",
        "See endpoints and deployments";
    EndpointsWrite => "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write",
        "Create and change endpoints and deployments";
    EndpointsDelete => "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/delete",
        "Delete endpoints";
    // Access control.
    RoleDefinitionsRead => "Microsoft.Authorization/roleDefinitions/read", "See roles";
    RoleDefinitionsWrite => "Microsoft.Authorization/roleDefinitions/write",
        "Create and change custom roles";
    RoleDefinitionsDelete => "Microsoft.Authorization/roleDefinitions/delete",
        "Delete custom roles";
    RoleAssignmentsRead => "Microsoft.Authorization/roleAssignments/read",
        "See who has which role";
    RoleAssignmentsWrite => "Microsoft.Authorization/roleAssignments/write",
        "Give people roles";
    RoleAssignmentsDelete => "Microsoft.Authorization/roleAssignments/delete",
        "Take roles away";
    InvitationsRead => "Microsoft.Authorization/invitations/read", "See pending invitations";
    InvitationsWrite => "Microsoft.Authorization/invitations/write",
        "Invite people by email";
    InvitationsDelete => "Microsoft.Authorization/invitations/delete", "Revoke invitations";
    // Groups (teams) of the organization, named as one principal in role assignments.
    GroupsRead => "Microsoft.Authorization/groups/read", "See groups and their members";
    GroupsWrite => "Microsoft.Authorization/groups/write",
        "Create groups and change who is in them";
    GroupsDelete => "Microsoft.Authorization/groups/delete", "Delete groups";
    ActivityLogRead => "Microsoft.Insights/eventtypes/values/read", "Read the activity log";
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
