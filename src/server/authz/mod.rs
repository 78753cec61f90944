//! The one enforcement point. Every server function names the action it needs on the scope it
//! touches and gets back an [`Authorized`] proof; the data layer's tenant functions take that
//! proof, so tenant data cannot be read or changed without passing through here. What the
//! caller may not even read answers "not found", exactly like what does not exist.

use crate::authz::builtin::builtin_role;
use crate::authz::{decide, Action, RoleDefinition, ScopeRef};
use crate::domain::{role_key, WorkspacePath};
use crate::error::{AppError, ErrorKind};

pub mod giving;
pub mod proof;
mod role_cache;

pub use proof::{grants, Authorized, HeldRole, Target};

use super::db::audit::Actor;
use super::db::role_assignments::{self, Assignment};
use super::db::role_definitions;
use super::db::scopes::{self, OrganizationScope, ResourceGroupScope, WorkspaceScope};
use super::db::users::UserRecord;
use super::db::Pool;
use super::error::OrInternal;
use super::request_memo::memoized;
use super::state::AppState;

/// Who a request acts for: a person or service principal, and the limits of the credential it
/// came with (a browser session has none; an access token has its reach and read-only flag).
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: UserRecord,
    pub limits: Limits,
}

impl Principal {
    /// A signed-in person in the browser: their roles, uncut.
    pub fn unlimited(user: UserRecord) -> Self {
        Self { user, limits: Limits::default() }
    }
}

/// What a credential cuts a principal's roles down to. Never widens them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    pub reach: Reach,
    /// Only actions that read (`…/read`) are allowed.
    pub read_only: bool,
    /// When the credential ends (a token's end date), so that what it makes ends no later.
    pub ends_at: Option<i64>,
}

/// Where a credential may act at all; anywhere else nothing can be seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reach {
    #[default]
    Everything,
    Organization(i64),
    Workspace(i64),
}

impl Reach {
    /// Whether a target in `organization_id` with scopes `chain` lies within reach. A
    /// workspace reach covers only that workspace, not its resource group or organization.
    pub fn covers(self, organization_id: i64, chain: &[ScopeRef]) -> bool {
        match self {
            Self::Everything => true,
            Self::Organization(id) => id == organization_id,
            Self::Workspace(id) => chain.contains(&ScopeRef::workspace(id)),
        }
    }
}

/// Allows `action` on `target` for `user`, or answers "not found" (cannot even read it) or
/// "forbidden" (can read it, but not do this).
pub async fn require<T: Target>(
    pool: &Pool,
    user: &UserRecord,
    target: T,
    action: Action,
) -> Result<Authorized<T>, AppError> {
    require_within(pool, user, Limits::default(), (target, None), action).await
}

/// [`require`] for a principal whose credential has limits: outside its reach nothing is
/// found; a read-only credential is refused every action that is not a read.
pub async fn require_as<T: Target>(
    pool: &Pool,
    principal: &Principal,
    target: T,
    action: Action,
) -> Result<Authorized<T>, AppError> {
    require_within(pool, &principal.user, principal.limits, (target, None), action).await
}

/// With the organization's access generation when the target's lookup read it (see
/// `role_cache`): the roles may then come from the cache.
async fn require_within<T: Target>(
    pool: &Pool,
    user: &UserRecord,
    limits: Limits,
    (target, generation): (T, Option<i64>),
    action: Action,
) -> Result<Authorized<T>, AppError> {
    let chain = target.scope_chain();
    let roles = if limits.reach.covers(target.organization_id(), &chain) {
        let (assignments, custom) =
            roles_in_organization(pool, user.id, target.organization_id(), generation).await?;
        applicable_roles(&assignments, &custom, &chain)
    } else {
        Vec::new()
    };
    let authorized = Authorized::new(target, user.id, action, roles, limits.read_only);
    if authorized.permits(action) {
        return Ok(authorized);
    }
    if authorized.permits(authorized.target().read_action()) {
        tracing::info!(user_id = user.id, action = %action, "refused");
        if limits.read_only && !action.is_read() {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "This token is read-only: it cannot change anything.",
            ));
        }
        return Err(AppError::new(
            ErrorKind::Forbidden,
            format!(
                "Your role here does not allow this ({}).",
                action.description().to_lowercase()
            ),
        ));
    }
    Err(AppError::not_found())
}

/// The same proof, once the same person is found allowed `action` too: for operations that
/// need two actions (removing a role assignment needs write and delete).
pub fn also<T>(proof: Authorized<T>, action: Action) -> Result<Authorized<T>, AppError> {
    if proof.permits(action) {
        return Ok(proof);
    }
    tracing::info!(user_id = proof.user_id(), action = %action, "refused");
    Err(AppError::new(
        ErrorKind::Forbidden,
        format!("Your role here does not allow this ({}).", action.description().to_lowercase()),
    ))
}

/// Whether `user` may perform `action` on each of `targets`: for lists (home page, switcher),
/// evaluated by the same decision as [`require`] with one query per organization.
pub async fn filter_permitted<T: Target>(
    pool: &Pool,
    user: &UserRecord,
    targets: Vec<T>,
    action: Action,
) -> Result<Vec<Authorized<T>>, AppError> {
    let mut by_org: Vec<(i64, OrganizationRoles)> = Vec::new();
    let mut permitted = Vec::new();
    for target in targets {
        let org = target.organization_id();
        if !by_org.iter().any(|(id, _)| *id == org) {
            let generation = target.access_generation();
            by_org.push((org, roles_in_organization(pool, user.id, org, generation).await?));
        }
        let Some((_, (assignments, custom))) = by_org.iter().find(|(id, _)| *id == org) else {
            continue;
        };
        let roles = applicable_roles(assignments, custom, &target.scope_chain());
        let authorized = Authorized::new(target, user.id, action, roles, false);
        if authorized.permits(action) {
            permitted.push(authorized);
        }
    }
    Ok(permitted)
}

/// The roles `user_id` holds at `target` (own or inherited), without requiring anything of
/// them: for explaining someone else's access to a person allowed to read assignments there.
pub async fn roles_at<T: Target>(
    pool: &Pool,
    user_id: i64,
    target: &T,
) -> Result<Vec<HeldRole>, AppError> {
    let (assignments, custom) =
        roles_in_organization(pool, user_id, target.organization_id(), None).await?;
    Ok(applicable_roles(&assignments, &custom, &target.scope_chain()))
}

/// Whether another person (`user_id`) may perform `action` on `target`: for checking that a
/// person something is assigned to may use it. Reveals nothing the caller may not already know
/// when the caller holds a proof for `target`.
pub async fn person_permits<T: Target>(
    pool: &Pool,
    user_id: i64,
    target: &T,
    action: Action,
) -> Result<bool, AppError> {
    let roles = roles_at(pool, user_id, target).await?;
    Ok(decide(&grants(&roles), action).is_some())
}

/// A person's assignments in an organization, and its custom roles when one is named.
type OrganizationRoles = (Vec<Assignment>, Vec<RoleDefinition>);

/// A person's assignments in an organization, and the organization's custom roles (read only
/// when one of the assignments names one).
async fn roles_in_organization(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
    generation: Option<i64>,
) -> Result<OrganizationRoles, AppError> {
    let key = || format!("{user_id} in {organization_id}");
    let load = || async move {
        let Some(generation) = generation else {
            return load_roles_in_organization(pool, user_id, organization_id).await;
        };
        if let Some(kept) = role_cache::get(pool, user_id, organization_id, generation) {
            return Ok(kept);
        }
        let roles = load_roles_in_organization(pool, user_id, organization_id).await?;
        role_cache::keep(pool, user_id, organization_id, generation, &roles);
        Ok(roles)
    };
    memoized(key, load).await
}

async fn load_roles_in_organization(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
) -> Result<OrganizationRoles, AppError> {
    let assignments = role_assignments::for_user_in_organization(pool, user_id, organization_id)
        .await
        .or_internal("loading role assignments")?;
    let custom = if assignments.iter().any(|a| builtin_role(&a.role_name).is_none()) {
        role_definitions::for_organization(pool, organization_id)
            .await
            .or_internal("loading custom roles")?
    } else {
        Vec::new()
    };
    Ok((assignments, custom))
}

/// The definitions of the assignments made at a scope in `chain`: built-in roles by name, then
/// the organization's custom roles.
fn applicable_roles(
    assignments: &[Assignment],
    custom: &[RoleDefinition],
    chain: &[ScopeRef],
) -> Vec<HeldRole> {
    assignments
        .iter()
        .filter(|a| chain.contains(&a.scope))
        .filter_map(|a| {
            let key = role_key(&a.role_name);
            let role = builtin_role(&a.role_name)
                .or_else(|| custom.iter().find(|r| role_key(&r.name) == key))?;
            Some(HeldRole {
                role: role.clone(),
                scope: a.scope,
                expires_at: a.expires_at,
                via_group: a.via_group.clone(),
            })
        })
        .collect()
}

/// Whether a deleted (restorable) workspace counts as found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    Excluded,
    Only,
}

/// Resolves `/organizations/{org}` and requires `action` on it.
pub async fn organization(
    pool: &Pool,
    user: &UserRecord,
    org: &str,
    action: Action,
) -> Result<Authorized<OrganizationScope>, AppError> {
    organization_within(pool, user, Limits::default(), org, action).await
}

async fn organization_within(
    pool: &Pool,
    user: &UserRecord,
    limits: Limits,
    org: &str,
    action: Action,
) -> Result<Authorized<OrganizationScope>, AppError> {
    let scope = scopes::organization(pool, org).await.or_internal("resolving an organization")?;
    require_within(pool, user, limits, (scope.ok_or_else(AppError::not_found)?, None), action).await
}

/// Resolves `/organizations/{org}/resourceGroups/{group}` and requires `action` on it.
pub async fn resource_group(
    pool: &Pool,
    user: &UserRecord,
    org: &str,
    group: &str,
    action: Action,
) -> Result<Authorized<ResourceGroupScope>, AppError> {
    resource_group_within(pool, user, Limits::default(), (org, group), action).await
}

async fn resource_group_within(
    pool: &Pool,
    user: &UserRecord,
    limits: Limits,
    (org, group): (&str, &str),
    action: Action,
) -> Result<Authorized<ResourceGroupScope>, AppError> {
    let scope =
        scopes::resource_group(pool, org, group).await.or_internal("resolving a resource group")?;
    require_within(pool, user, limits, (scope.ok_or_else(AppError::not_found)?, None), action).await
}

/// Resolves a workspace's path and requires `action` on it. A deleted workspace exists only for
/// restoring and purging.
pub async fn workspace(
    pool: &Pool,
    user: &UserRecord,
    path: &WorkspacePath,
    action: Action,
    deleted: Deleted,
) -> Result<Authorized<WorkspaceScope>, AppError> {
    workspace_within(pool, user, Limits::default(), path, action, deleted).await
}

/// [`workspace`] for a principal whose credential has limits (an access token).
pub async fn workspace_as(
    pool: &Pool,
    principal: &Principal,
    path: &WorkspacePath,
    action: Action,
    deleted: Deleted,
) -> Result<Authorized<WorkspaceScope>, AppError> {
    workspace_within(pool, &principal.user, principal.limits, path, action, deleted).await
}

async fn workspace_within(
    pool: &Pool,
    user: &UserRecord,
    limits: Limits,
    path: &WorkspacePath,
    action: Action,
    deleted: Deleted,
) -> Result<Authorized<WorkspaceScope>, AppError> {
    let load = || async move {
        scopes::workspace_for_authorization(pool, path).await.or_internal("resolving a workspace")
    };
    let key = || path.to_string();
    let (scope, generation) = memoized(key, load)
        .await?
        .filter(|(ws, _)| ws.deleted == (deleted == Deleted::Only))
        .ok_or_else(AppError::not_found)?;
    require_within(pool, user, limits, (scope, Some(generation)), action).await
}

/// The signed-in caller and their proof for `action` on the workspace at `path`: how every
/// workspace server function starts.
pub async fn caller_workspace(
    path: &WorkspacePath,
    action: Action,
    deleted: Deleted,
) -> Result<(AppState, Authorized<WorkspaceScope>, Actor), AppError> {
    let (state, user) = super::auth::caller().await?;
    let ws = workspace(&state.pool, &user, path, action, deleted).await?;
    Ok((state, ws, super::audit::actor(&user).await))
}

/// Resolves any scope path and requires `action` on it.
pub async fn scope(
    pool: &Pool,
    user: &UserRecord,
    path: &crate::domain::ScopePath,
    action: Action,
) -> Result<Authorized<scopes::AnyScope>, AppError> {
    scope_within(pool, user, Limits::default(), path, action).await
}

async fn scope_within(
    pool: &Pool,
    user: &UserRecord,
    limits: Limits,
    path: &crate::domain::ScopePath,
    action: Action,
) -> Result<Authorized<scopes::AnyScope>, AppError> {
    let scope = scopes::any(pool, path).await.or_internal("resolving a scope")?;
    require_within(pool, user, limits, (scope.ok_or_else(AppError::not_found)?, None), action).await
}

/// Who is calling and with what credential, from a server function (a signed-in session) or
/// from the management API (a token, or a session): what every shared operation starts from.
/// Each lookup below honours the credential's limits, so a workspace token finds nothing
/// outside its workspace and a read-only one changes nothing.
#[derive(Clone)]
pub struct Caller {
    pub state: AppState,
    pub principal: Principal,
    pub actor: Actor,
}

impl Caller {
    /// The signed-in person of the current server function or page render.
    pub async fn current() -> Result<Self, AppError> {
        let (state, user) = super::auth::caller().await?;
        let actor = super::audit::actor(&user).await;
        Ok(Self { state, principal: Principal::unlimited(user), actor })
    }

    pub fn user(&self) -> &UserRecord {
        &self.principal.user
    }

    pub fn pool(&self) -> &Pool {
        &self.state.pool
    }

    pub async fn organization(
        &self,
        org: &str,
        action: Action,
    ) -> Result<Authorized<OrganizationScope>, AppError> {
        let (user, limits) = (&self.principal.user, self.principal.limits);
        organization_within(self.pool(), user, limits, org, action).await
    }

    pub async fn resource_group(
        &self,
        org: &str,
        group: &str,
        action: Action,
    ) -> Result<Authorized<ResourceGroupScope>, AppError> {
        let (user, limits) = (&self.principal.user, self.principal.limits);
        resource_group_within(self.pool(), user, limits, (org, group), action).await
    }

    pub async fn workspace(
        &self,
        path: &WorkspacePath,
        action: Action,
        deleted: Deleted,
    ) -> Result<Authorized<WorkspaceScope>, AppError> {
        workspace_as(self.pool(), &self.principal, path, action, deleted).await
    }

    pub async fn scope(
        &self,
        path: &crate::domain::ScopePath,
        action: Action,
    ) -> Result<Authorized<scopes::AnyScope>, AppError> {
        let (user, limits) = (&self.principal.user, self.principal.limits);
        scope_within(self.pool(), user, limits, path, action).await
    }

    /// Of `targets`, those the caller may `action` on and its credential reaches.
    pub async fn filter_permitted<T: Target>(
        &self,
        targets: Vec<T>,
        action: Action,
    ) -> Result<Vec<Authorized<T>>, AppError> {
        let reach = self.principal.limits.reach;
        let within = targets
            .into_iter()
            .filter(|t| reach.covers(t.organization_id(), &t.scope_chain()))
            .collect();
        if self.principal.limits.read_only && !action.is_read() {
            return Ok(Vec::new());
        }
        filter_permitted(self.pool(), self.user(), within, action).await
    }
}
