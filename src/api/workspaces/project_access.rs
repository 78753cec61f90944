//! The project template's presets: who the data scientists and workspace admins are, turned
//! into the grants that come with the new workspaces. The same rules as granting one by one:
//! only members of the organization are granted by email (anyone else is invited, alike whether
//! or not the address has an account here), nobody gives a role allowing more than their own,
//! and what time-boxed access gives ends with it.

use crate::authz::presets::{data_scientist_role_for, workspace_admin, WORKSPACE_ADMIN};
use crate::authz::{Action, RoleDefinition};
use crate::domain::{role_key, Email, Environment};
use crate::error::{AppError, ErrorKind};
use crate::server::authz::giving::{grant_ends, require_holding};
use crate::server::authz::{self, Authorized};
use crate::server::db::scopes::{AnyScope, OrganizationScope, WorkspaceScope};
use crate::server::db::users::UserRecord;
use crate::server::db::{members, role_definitions, Pool};
use crate::server::error::OrInternal;
use crate::server::state::AppState;

/// Someone named in a field: a member, granted with the workspaces, or anyone else, invited
/// once the workspaces exist.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Named {
    Member(i64),
    Invitee(Email),
}

/// Where a preset role goes: `None` is the resource group, `Some(i)` the i-th new workspace.
pub type At = Option<usize>;

/// What the presets come to: the custom role to create (if any), grants to members (person,
/// role, where, until), and invitations to send after creating (address, role, where, until).
pub struct Presets {
    pub role: Option<RoleDefinition>,
    pub grants: Vec<(i64, String, At, Option<i64>)>,
    pub invitations: Vec<(Email, RoleDefinition, At, Option<i64>)>,
}

/// The people named in a field, one or more addresses separated by commas, spaces or lines.
async fn named(
    pool: &Pool,
    organization_id: i64,
    field: &'static str,
    text: &str,
) -> Result<Vec<Named>, AppError> {
    let mut named = Vec::new();
    for address in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|a| !a.is_empty()) {
        let email = Email::parse(address).map_err(|e| AppError::invalid_field(field, e))?;
        let member = members::grantee_by_email(pool, organization_id, &email)
            .await
            .or_internal("finding a member")?;
        let one = match member {
            Some(member) => Named::Member(member.user_id),
            None => Named::Invitee(email),
        };
        if !named.contains(&one) {
            named.push(one);
        }
    }
    Ok(named)
}

/// The definition a preset role name stands for in this organization: a built-in role, or the
/// organization's own "Workspace admin" if it has one (that one is kept, so that one is given).
async fn definition_of(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    name: &str,
) -> Result<RoleDefinition, AppError> {
    if let Some(builtin) = crate::authz::builtin::builtin_role(name) {
        return Ok(builtin.clone());
    }
    let custom = role_definitions::for_organization(pool, org.target().id)
        .await
        .or_internal("loading custom roles")?;
    let key = role_key(name);
    Ok(custom
        .into_iter()
        .find(|r| role_key(&r.name) == key)
        .unwrap_or_else(|| workspace_admin(&org.target().slug)))
}

/// The role to create, the grants to make and the invitations to send, in workspace order
/// `environments`.
pub async fn presets(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    environments: &[Environment],
    data_scientists: &str,
    workspace_admins: &str,
) -> Result<Presets, AppError> {
    use super::fields;
    let org_id = org.target().id;
    let scientists = named(pool, org_id, fields::DATA_SCIENTISTS, data_scientists).await?;
    let admins = named(pool, org_id, fields::WORKSPACE_ADMINS, workspace_admins).await?;
    let nobody = Presets { role: None, grants: Vec::new(), invitations: Vec::new() };
    if scientists.is_empty() && admins.is_empty() {
        return Ok(nobody);
    }
    let inviting = scientists.iter().chain(&admins).any(|n| matches!(n, Named::Invitee(_)));
    if !org.permits(Action::RoleAssignmentsWrite)
        || (!admins.is_empty() && !org.permits(Action::RoleDefinitionsWrite))
        || (inviting && !org.permits(Action::InvitationsWrite))
    {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Your role in this organization does not allow giving others access; leave the people fields empty.",
        ));
    }
    let mut wanted: Vec<(&Named, String, At)> = Vec::new();
    for person in &scientists {
        for (i, &environment) in environments.iter().enumerate() {
            wanted.push((person, data_scientist_role_for(environment).to_owned(), Some(i)));
        }
    }
    for person in &admins {
        wanted.push((person, WORKSPACE_ADMIN.to_owned(), None));
    }
    let mut presets = nobody;
    for (person, role, at) in wanted {
        // The new scopes lie in the organization: what the caller holds there is what they
        // hold in them (their Owner role on the new workspaces does not count yet).
        let definition = definition_of(pool, org, &role).await?;
        require_holding(org, &definition)?;
        let until = grant_ends(org, &definition, None);
        match person {
            Named::Member(id) => presets.grants.push((*id, definition.name.clone(), at, until)),
            Named::Invitee(email) => {
                presets.invitations.push((email.clone(), definition, at, until));
            }
        }
    }
    presets.role = (!admins.is_empty()).then(|| workspace_admin(&org.target().slug));
    Ok(presets)
}

/// Sends the presets' invitations, at the new workspaces and their group, once they exist.
pub async fn invite(
    state: &AppState,
    user: &UserRecord,
    created: &[WorkspaceScope],
    invitations: Vec<(Email, RoleDefinition, At, Option<i64>)>,
) -> Result<(), AppError> {
    use crate::api::invitations::{send_invitations, RoleOffer};
    for (email, definition, at, until) in invitations {
        let scope = match at {
            Some(i) => AnyScope::Workspace(created[i].clone()),
            None => AnyScope::ResourceGroup(created[0].resource_group.clone()),
        };
        let proof = authz::require(&state.pool, user, scope, Action::InvitationsWrite).await?;
        // The caller's organization-wide access, checked in `presets`, decides the end.
        let offer = RoleOffer { definition: &definition, note: "", access_expires_at: until };
        send_invitations(state, user, &proof, &offer, &[email]).await?;
    }
    Ok(())
}
