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
use crate::server::db::workspaces::InitialGroup;
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
/// role, where, until), invitations to send after creating (address, role, where, until), and
/// the groups to create instead when the roles go through groups.
pub struct Presets {
    pub role: Option<RoleDefinition>,
    pub grants: Vec<(i64, String, At, Option<i64>)>,
    pub invitations: Vec<(Email, RoleDefinition, At, Option<i64>)>,
    pub groups: Vec<InitialGroup>,
}

/// Who the presets name, and whether their roles go through the project's two groups
/// ("{project} data scientists", "{project} administrators") rather than to each of them.
pub struct Audience<'a> {
    pub project: &'a str,
    pub data_scientists: &'a str,
    pub workspace_admins: &'a str,
    pub through_groups: bool,
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

/// The role to create, the grants to make, the invitations to send and the groups to create,
/// in workspace order `environments`.
pub async fn presets(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    environments: &[Environment],
    audience: &Audience<'_>,
) -> Result<Presets, AppError> {
    use super::fields;
    let org_id = org.target().id;
    let scientists = named(pool, org_id, fields::DATA_SCIENTISTS, audience.data_scientists).await?;
    let admins = named(pool, org_id, fields::WORKSPACE_ADMINS, audience.workspace_admins).await?;
    let mut presets =
        Presets { role: None, grants: Vec::new(), invitations: Vec::new(), groups: Vec::new() };
    if scientists.is_empty() && admins.is_empty() && !audience.through_groups {
        return Ok(presets);
    }
    let inviting = scientists.iter().chain(&admins).any(|n| matches!(n, Named::Invitee(_)));
    let refused = !org.permits(Action::RoleAssignmentsWrite)
        || ((!admins.is_empty() || audience.through_groups)
            && !org.permits(Action::RoleDefinitionsWrite))
        || (audience.through_groups && !org.permits(Action::GroupsWrite))
        || (inviting && !org.permits(Action::InvitationsWrite));
    if refused {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Your role in this organization does not allow giving others access; leave the people fields empty and the groups unticked.",
        ));
    }
    // Each audience's roles, and where: data scientists in every workspace, admins on the
    // project's resource group; none for an audience nobody is in (unless through a group).
    let wanted = |people: &[Named]| audience.through_groups || !people.is_empty();
    let scientist_roles: Vec<(String, At)> = environments
        .iter()
        .enumerate()
        .filter(|_| wanted(&scientists))
        .map(|(i, &environment)| (data_scientist_role_for(environment).to_owned(), Some(i)))
        .collect();
    let admin_roles: Vec<(String, At)> =
        [(WORKSPACE_ADMIN.to_owned(), None)].into_iter().filter(|_| wanted(&admins)).collect();
    let mut resolved = Vec::new();
    for (role, at) in scientist_roles.iter().chain(&admin_roles) {
        // The new scopes lie in the organization: what the caller holds there is what they
        // hold in them (their Owner role on the new workspaces does not count yet).
        let definition = definition_of(pool, org, role).await?;
        require_holding(org, &definition)?;
        let until = grant_ends(org, &definition, None);
        resolved.push((definition, *at, until));
    }
    let (for_scientists, for_admins) = resolved.split_at(scientist_roles.len());
    if audience.through_groups {
        let project = audience.project;
        presets.groups = vec![
            project_group(
                format!("{project} data scientists"),
                "Create and run jobs and register models in the project's workspaces.",
                (&scientists, fields::DATA_SCIENTISTS),
                for_scientists,
            )?,
            project_group(
                format!("{project} administrators"),
                "Administer the project's workspaces: compute, datastores and access.",
                (&admins, fields::WORKSPACE_ADMINS),
                for_admins,
            )?,
        ];
    } else {
        for (people, roles) in [(&scientists, for_scientists), (&admins, for_admins)] {
            for person in people {
                for (definition, at, until) in roles {
                    match person {
                        Named::Member(id) => {
                            presets.grants.push((*id, definition.name.clone(), *at, *until))
                        }
                        Named::Invitee(email) => presets.invitations.push((
                            email.clone(),
                            definition.clone(),
                            *at,
                            *until,
                        )),
                    }
                }
            }
        }
    }
    let admin_role_needed = !admins.is_empty() || audience.through_groups;
    presets.role = admin_role_needed.then(|| workspace_admin(&org.target().slug));
    Ok(presets)
}

/// One of the project's groups: only members of the organization whose address is confirmed
/// can be put in a group, so anyone else named in its `field` is refused there.
fn project_group(
    name: String,
    description: &str,
    (people, field): (&[Named], &'static str),
    roles: &[(RoleDefinition, At, Option<i64>)],
) -> Result<InitialGroup, AppError> {
    let mut members = Vec::new();
    for person in people {
        match person {
            Named::Member(id) => members.push(*id),
            Named::Invitee(email) => {
                return Err(AppError::conflict(
                    field,
                    format!(
                        "{} is not a member of this organization whose address is confirmed, so \
                         cannot be put in a group. Invite them first, or give roles to people \
                         rather than groups.",
                        email.as_str()
                    ),
                ))
            }
        }
    }
    Ok(InitialGroup {
        name,
        description: description.to_owned(),
        members,
        roles: roles.iter().map(|(d, at, until)| (d.name.clone(), *at, *until)).collect(),
    })
}

/// Sends the presets' invitations, at the new workspaces and their group, once they exist.
pub async fn invite(
    state: &AppState,
    user: &UserRecord,
    created: &[WorkspaceScope],
    invitations: Vec<(Email, RoleDefinition, At, Option<i64>)>,
) -> Result<(), AppError> {
    use crate::api::invitations::{send_invitations, RoleOffer};
    let actor = crate::server::audit::actor(user).await;
    for (email, definition, at, until) in invitations {
        let scope = match at {
            Some(i) => AnyScope::Workspace(created[i].clone()),
            None => AnyScope::ResourceGroup(created[0].resource_group.clone()),
        };
        let proof = authz::require(&state.pool, user, scope, Action::InvitationsWrite).await?;
        // The caller's organization-wide access, checked in `presets`, decides the end.
        let offer = RoleOffer { definition: &definition, note: "", access_expires_at: until };
        send_invitations(state, (user, &actor), &proof, &offer, &[email]).await?;
    }
    Ok(())
}
