//! How every server function is guarded, in one table. The authorization happens inside each
//! function (through `server::authz`); this table declares it, and the integration tests
//! (`tests/api/matrix.rs`) check that every registered server function is listed here and
//! behaves as declared: a person whose role allows exactly the declared actions may call it,
//! one whose role allows everything but one of them may not, and visitors, strangers, removed,
//! unconfirmed, disabled and expired accounts find nothing.

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
    /// The first action and every one of the others, all on the same scope: for operations
    /// that need more than one (removing a role assignment needs write as well as delete).
    TenantAnd(Action, &'static [Action]),
}

impl Guard {
    /// Every action a tenant function needs on its scope, the first as declared first; empty
    /// for the other guards.
    pub fn actions(self) -> Vec<Action> {
        match self {
            Guard::Tenant(action) => vec![action],
            Guard::TenantAnd(action, others) => {
                std::iter::once(action).chain(others.iter().copied()).collect()
            }
            Guard::Public | Guard::SignedIn | Guard::InstanceAdmin => Vec::new(),
        }
    }
}

/// Inviting, and passing on or changing what a pending invitation offers: an invitation hands
/// out a role assignment, so it needs RoleAssignmentsWrite as granting does.
const INVITING: Guard = Guard::TenantAnd(Action::InvitationsWrite, &[Action::RoleAssignmentsWrite]);
/// Creating or changing a deployment: it serves a model version, which only those who may read
/// models can name (for anyone else the version does not exist).
const DEPLOYING: Guard = Guard::TenantAnd(Action::EndpointsWrite, &[Action::ModelsRead]);

pub const GUARDS: &[(&str, Guard)] = &[
    ("/api/auth/sign_up", Guard::Public),
    ("/api/auth/sign_in", Guard::Public),
    ("/api/auth/sign_out", Guard::Public),
    ("/api/auth/current_user", Guard::Public),
    // The link's token is the credential (and the answer is the same for any address).
    ("/api/auth/confirm_address", Guard::Public),
    ("/api/auth/forgot_password", Guard::Public),
    ("/api/auth/reset_password", Guard::Public),
    ("/api/auth/resend_confirmation", Guard::SignedIn),
    ("/api/account/get", Guard::SignedIn),
    ("/api/account/rename", Guard::SignedIn),
    ("/api/account/change_email", Guard::SignedIn),
    ("/api/account/change_password", Guard::SignedIn),
    ("/api/instance/unconfirmed", Guard::InstanceAdmin),
    ("/api/instance/confirm_account", Guard::InstanceAdmin),
    ("/api/instance/settings", Guard::InstanceAdmin),
    ("/api/instance/save_settings", Guard::InstanceAdmin),
    ("/api/instance/accounts", Guard::InstanceAdmin),
    ("/api/instance/set_account_disabled", Guard::InstanceAdmin),
    // Any signed-in person may try; only the setup link's token makes them the admin.
    ("/api/instance/claim_admin", Guard::SignedIn),
    ("/api/sessions/list", Guard::SignedIn),
    ("/api/sessions/end", Guard::SignedIn),
    ("/api/sessions/end_others", Guard::SignedIn),
    ("/api/organizations/list", Guard::SignedIn),
    ("/api/organizations/create", Guard::SignedIn),
    ("/api/organizations/get", Guard::Tenant(Action::OrganizationsRead)),
    ("/api/organizations/rename", Guard::Tenant(Action::OrganizationsWrite)),
    ("/api/resource_groups/get", Guard::Tenant(Action::ResourceGroupsRead)),
    ("/api/resource_groups/create", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/resource_groups/rename", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/resource_groups/delete", Guard::Tenant(Action::ResourceGroupsDelete)),
    ("/api/workspaces/mine", Guard::SignedIn),
    // Each person's own tokens; a reach is checked like any read of that scope.
    ("/api/tokens/list", Guard::SignedIn),
    ("/api/tokens/create", Guard::SignedIn),
    ("/api/tokens/revoke", Guard::SignedIn),
    ("/api/workspaces/creation_options", Guard::SignedIn),
    ("/api/workspaces/get", Guard::Tenant(Action::WorkspacesRead)),
    ("/api/workspaces/frame", Guard::Tenant(Action::WorkspacesRead)),
    ("/api/workspaces/create", Guard::Tenant(Action::WorkspacesWrite)),
    ("/api/workspaces/update", Guard::Tenant(Action::WorkspacesWrite)),
    ("/api/workspaces/delete", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/restore", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/purge", Guard::Tenant(Action::WorkspacesDelete)),
    ("/api/workspaces/set_up_project", Guard::Tenant(Action::ResourceGroupsWrite)),
    ("/api/access/get", Guard::Tenant(Action::RoleAssignmentsRead)),
    // Granting to someone who is not a member (with a confirmed address) invites them instead,
    // which needs InvitationsWrite too.
    ("/api/access/grant", Guard::Tenant(Action::RoleAssignmentsWrite)),
    ("/api/access/grant_group", Guard::Tenant(Action::RoleAssignmentsWrite)),
    ("/api/access/change", Guard::Tenant(Action::RoleAssignmentsWrite)),
    // Changing who has access at all needs RoleAssignmentsWrite (stricter than Azure).
    (
        "/api/access/remove",
        Guard::TenantAnd(Action::RoleAssignmentsDelete, &[Action::RoleAssignmentsWrite]),
    ),
    ("/api/access/activity", Guard::Tenant(Action::ActivityLogRead)),
    ("/api/access/check", Guard::Tenant(Action::RoleAssignmentsRead)),
    // Service principals are the organization's access: managed like role assignments there.
    // Deleting one removes its roles, so it also needs RoleAssignmentsWrite.
    ("/api/service_principals/list", Guard::Tenant(Action::RoleAssignmentsRead)),
    ("/api/service_principals/create", Guard::Tenant(Action::RoleAssignmentsWrite)),
    (
        "/api/service_principals/delete",
        Guard::TenantAnd(Action::RoleAssignmentsDelete, &[Action::RoleAssignmentsWrite]),
    ),
    ("/api/service_principals/tokens", Guard::Tenant(Action::RoleAssignmentsRead)),
    // Naming the token's reach is checked like any read of that scope: the organization's read
    // for an organization-wide token (a workspace's read for a token reaching only it).
    (
        "/api/service_principals/create_token",
        Guard::TenantAnd(Action::RoleAssignmentsWrite, &[Action::OrganizationsRead]),
    ),
    ("/api/service_principals/revoke_token", Guard::Tenant(Action::RoleAssignmentsWrite)),
    // An organization's groups: membership gives the group's roles, so changing it is a write.
    ("/api/groups/list", Guard::Tenant(Action::GroupsRead)),
    ("/api/groups/create", Guard::Tenant(Action::GroupsWrite)),
    ("/api/groups/add_member", Guard::Tenant(Action::GroupsWrite)),
    // Puts members in the group and invites the others into it: as adding members (a group's
    // managers may too); no role is given, so no roleAssignments/write.
    ("/api/groups/invite", Guard::Tenant(Action::GroupsWrite)),
    ("/api/groups/remove_member", Guard::Tenant(Action::GroupsWrite)),
    ("/api/groups/update", Guard::Tenant(Action::GroupsWrite)),
    ("/api/groups/delete", Guard::Tenant(Action::GroupsDelete)),
    ("/api/roles/list", Guard::Tenant(Action::RoleDefinitionsRead)),
    ("/api/roles/save", Guard::Tenant(Action::RoleDefinitionsWrite)),
    ("/api/roles/delete", Guard::Tenant(Action::RoleDefinitionsDelete)),
    // Revoking only takes away, so it needs nothing more.
    ("/api/invitations/create", INVITING),
    ("/api/invitations/revoke", Guard::Tenant(Action::InvitationsDelete)),
    ("/api/invitations/resend", INVITING),
    ("/api/invitations/change_role", INVITING),
    ("/api/invitations/link", INVITING),
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
    ("/api/runs/snapshot", Guard::Tenant(Action::RunsRead)),
    ("/api/runs/upload_snapshot", Guard::Tenant(Action::RunsWrite)),
    ("/api/datastores/list", Guard::Tenant(Action::DatastoresRead)),
    ("/api/datastores/get", Guard::Tenant(Action::DatastoresRead)),
    ("/api/datastores/create", Guard::Tenant(Action::DatastoresWrite)),
    ("/api/datastores/delete", Guard::Tenant(Action::DatastoresDelete)),
    ("/api/datastores/secrets", Guard::Tenant(Action::DatastoresListSecrets)),
    ("/api/environments/list", Guard::Tenant(Action::EnvironmentsRead)),
    ("/api/environments/get", Guard::Tenant(Action::EnvironmentsRead)),
    ("/api/environments/register", Guard::Tenant(Action::EnvironmentsWrite)),
    ("/api/environments/delete_version", Guard::Tenant(Action::EnvironmentsDelete)),
    ("/api/models/list", Guard::Tenant(Action::ModelsRead)),
    ("/api/models/get", Guard::Tenant(Action::ModelsRead)),
    // Linking a source run also needs RunsRead (whether a run exists is for those who may see
    // runs); the matrix registers a version without one.
    ("/api/models/register", Guard::Tenant(Action::ModelsWrite)),
    ("/api/models/update", Guard::Tenant(Action::ModelsWrite)),
    ("/api/models/update_version", Guard::Tenant(Action::ModelsWrite)),
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
    ("/api/endpoints/list", Guard::Tenant(Action::EndpointsRead)),
    ("/api/endpoints/get", Guard::Tenant(Action::EndpointsRead)),
    ("/api/endpoints/get_deployment", Guard::Tenant(Action::EndpointsRead)),
    ("/api/endpoints/create", Guard::Tenant(Action::EndpointsWrite)),
    ("/api/endpoints/update", Guard::Tenant(Action::EndpointsWrite)),
    ("/api/endpoints/delete", Guard::Tenant(Action::EndpointsDelete)),
    ("/api/endpoints/create_deployment", DEPLOYING),
    ("/api/endpoints/update_deployment", DEPLOYING),
    ("/api/endpoints/start_deployment", Guard::Tenant(Action::EndpointsWrite)),
    ("/api/endpoints/stop_deployment", Guard::Tenant(Action::EndpointsWrite)),
    ("/api/endpoints/set_traffic", Guard::Tenant(Action::EndpointsWrite)),
    ("/api/endpoints/delete_deployment", Guard::Tenant(Action::EndpointsDelete)),
    ("/api/pipelines/list", Guard::Tenant(Action::PipelinesRead)),
    ("/api/pipelines/get", Guard::Tenant(Action::PipelinesRead)),
    ("/api/pipelines/get_run", Guard::Tenant(Action::PipelinesRead)),
    ("/api/pipelines/create", Guard::Tenant(Action::PipelinesWrite)),
    ("/api/pipelines/update", Guard::Tenant(Action::PipelinesWrite)),
    ("/api/pipelines/submit", Guard::Tenant(Action::PipelinesWrite)),
    ("/api/pipelines/set_step", Guard::Tenant(Action::PipelinesWrite)),
    ("/api/pipelines/cancel_run", Guard::Tenant(Action::PipelinesWrite)),
    ("/api/pipelines/delete", Guard::Tenant(Action::PipelinesDelete)),
];

pub fn guard_of(path: &str) -> Option<Guard> {
    GUARDS.iter().find(|(p, _)| *p == path).map(|(_, g)| *g)
}
