//! How every server function is guarded, in one table. The authorization happens inside each
//! function (through `server::authz`); this table declares it, and the integration tests check
//! that every registered server function is listed here and behaves as declared for an owner,
//! a reader, a stranger, a visitor and a person whose access was removed.

use crate::authz::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Anyone, signed in or not (signing in and up).
    Public,
    /// Any signed-in person; returns only what is theirs.
    SignedIn,
    /// The instance admin; "not found" for anyone else.
    InstanceAdmin,
    /// The action, on the scope the arguments name.
    Tenant(Action),
}

pub const GUARDS: &[(&str, Guard)] = &[
    ("/api/auth/sign_up", Guard::Public),
    ("/api/auth/sign_in", Guard::Public),
    ("/api/auth/sign_out", Guard::Public),
    ("/api/auth/current_user", Guard::Public),
    ("/api/instance/settings", Guard::InstanceAdmin),
    ("/api/instance/save_settings", Guard::InstanceAdmin),
    ("/api/organizations/list", Guard::SignedIn),
    ("/api/organizations/create", Guard::SignedIn),
    ("/api/organizations/get", Guard::Tenant(Action::OrganizationsRead)),
    ("/api/organizations/rename", Guard::Tenant(Action::OrganizationsWrite)),
    ("/api/resource_groups/get", Guard::Tenant(Action::ResourceGroupsRead)),
    ("/api/resource_groups/create", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/resource_groups/rename", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/resource_groups/delete", Guard::Tenant(Action::ResourceGroupsDelete)),
    ("/api/workspaces/mine", Guard::SignedIn),
    ("/api/workspaces/creation_options", Guard::SignedIn),
    ("/api/workspaces/get", Guard::Tenant(Action::WorkspacesRead)),
    ("/api/workspaces/create", Guard::Tenant(Action::WorkspacesWrite)),
    ("/api/workspaces/update", Guard::Tenant(Action::WorkspacesWrite)),
    ("/api/workspaces/delete", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/restore", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/purge", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/set_up_project", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/access/get", Guard::Tenant(Action::RoleAssignmentsRead)),
    ("/api/access/grant", Guard::Tenant(Action::RoleAssignmentsWrite)),
    ("/api/access/change", Guard::Tenant(Action::RoleAssignmentsWrite)),
    ("/api/access/remove", Guard::Tenant(Action::RoleAssignmentsDelete)),
    ("/api/access/activity", Guard::Tenant(Action::ActivityLogRead)),
    ("/api/access/check", Guard::Tenant(Action::RoleAssignmentsRead)),
    ("/api/roles/list", Guard::Tenant(Action::RoleDefinitionsRead)),
    ("/api/roles/save", Guard::Tenant(Action::RoleDefinitionsWrite)),
    ("/api/roles/delete", Guard::Tenant(Action::RoleDefinitionsDelete)),
    ("/api/invitations/create", Guard::Tenant(Action::InvitationsWrite)),
    ("/api/invitations/revoke", Guard::Tenant(Action::InvitationsDelete)),
    ("/api/invitations/resend", Guard::Tenant(Action::InvitationsWrite)),
    ("/api/invitations/change_role", Guard::Tenant(Action::InvitationsWrite)),
    ("/api/invitations/link", Guard::Tenant(Action::InvitationsWrite)),
    // The link's token is the credential: it shows one invitation's offer, nothing else.
    ("/api/invitations/landing", Guard::Public),
    // Signed in with the invited address, holding the token (or the invitation in one's inbox).
    ("/api/invitations/accept", Guard::SignedIn),
    ("/api/invitations/decline", Guard::SignedIn),
    ("/api/invitations/answer", Guard::SignedIn),
    ("/api/invitations/mine", Guard::SignedIn),
    ("/api/instance/outbox", Guard::InstanceAdmin),
    ("/api/experiments/list", Guard::Tenant(Action::ExperimentsRead)),
    ("/api/experiments/get", Guard::Tenant(Action::ExperimentsRead)),
    ("/api/experiments/create", Guard::Tenant(Action::ExperimentsWrite)),
    ("/api/experiments/update", Guard::Tenant(Action::ExperimentsWrite)),
    ("/api/experiments/delete", Guard::Tenant(Action::ExperimentsDelete)),
    ("/api/runs/list", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/get", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/series", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/logs", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/create", Guard::Tenant(Action::RunsSubmit)),
    ("/api/runs/update", Guard::Tenant(Action::RunsWrite)),
    ("/api/runs/delete", Guard::Tenant(Action::RunsDelete)),
    ("/api/runs/outputs", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/upload_output", Guard::Tenant(Action::RunsWrite)),
    ("/api/datastores/list", Guard::Tenant(Action::DatastoresRead)),
    ("/api/datastores/create", Guard::Tenant(Action::DatastoresWrite)),
    ("/api/datastores/delete", Guard::Tenant(Action::DatastoresDelete)),
    ("/api/datastores/secrets", Guard::Tenant(Action::DatastoresListSecrets)),
    ("/api/environments/list", Guard::Tenant(Action::EnvironmentsRead)),
    ("/api/environments/get", Guard::Tenant(Action::EnvironmentsRead)),
    ("/api/environments/register", Guard::Tenant(Action::EnvironmentsWrite)),
    ("/api/environments/delete_version", Guard::Tenant(Action::EnvironmentsDelete)),
    ("/api/models/list", Guard::Tenant(Action::ModelsRead)),
    ("/api/models/get", Guard::Tenant(Action::ModelsRead)),
    ("/api/models/register", Guard::Tenant(Action::ModelsWrite)),
    ("/api/models/update", Guard::Tenant(Action::ModelsWrite)),
    ("/api/models/set_stage", Guard::Tenant(Action::ModelsStageWrite)),
    ("/api/models/delete_version", Guard::Tenant(Action::ModelsDelete)),
    ("/api/models/delete", Guard::Tenant(Action::ModelsDelete)),
    ("/api/datasets/list", Guard::Tenant(Action::DatasetsRead)),
    ("/api/datasets/get", Guard::Tenant(Action::DatasetsRead)),
    ("/api/datasets/version", Guard::Tenant(Action::DatasetsRead)),
    ("/api/datasets/register", Guard::Tenant(Action::DatasetsWrite)),
    ("/api/datasets/update", Guard::Tenant(Action::DatasetsWrite)),
    ("/api/datasets/delete_version", Guard::Tenant(Action::DatasetsDelete)),
    ("/api/datasets/delete", Guard::Tenant(Action::DatasetsDelete)),
    ("/api/computes/list", Guard::Tenant(Action::ComputesRead)),
    ("/api/computes/get", Guard::Tenant(Action::ComputesRead)),
    ("/api/computes/create", Guard::Tenant(Action::ComputesWrite)),
    ("/api/computes/update", Guard::Tenant(Action::ComputesWrite)),
    ("/api/computes/delete", Guard::Tenant(Action::ComputesDelete)),
    ("/api/computes/start", Guard::Tenant(Action::ComputesStart)),
    ("/api/computes/stop", Guard::Tenant(Action::ComputesStop)),
    ("/api/computes/restart", Guard::Tenant(Action::ComputesRestart)),
];

pub fn guard_of(path: &str) -> Option<Guard> {
    GUARDS.iter().find(|(p, _)| *p == path).map(|(_, g)| *g)
}
