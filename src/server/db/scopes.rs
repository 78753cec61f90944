//! The targets of authorization: an organization, a resource group or a workspace, resolved
//! from the names in a URL to ids. Resolving reveals nothing: callers pass the result straight
//! to `authz::require`, which answers "not found" for what the person may not read.

use sqlx::Row;

use super::audit::Place;
use super::Pool;
use crate::authz::{Action, ScopeRef};
use crate::domain::{ScopePath, WorkspacePath};
use crate::server::authz::proof::Target;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationScope {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceGroupScope {
    pub organization: OrganizationScope,
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceScope {
    pub resource_group: ResourceGroupScope,
    pub id: i64,
    pub name: String,
    pub deleted: bool,
}

impl OrganizationScope {
    pub fn place(&self) -> Place {
        Place { organization_id: Some(self.id), ..Place::default() }
    }
    pub fn path(&self) -> String {
        format!("/organizations/{}", self.slug)
    }
}

impl ResourceGroupScope {
    pub fn place(&self) -> Place {
        Place { resource_group_id: Some(self.id), ..self.organization.place() }
    }
    pub fn path(&self) -> String {
        format!("{}/resourceGroups/{}", self.organization.path(), self.name)
    }
}

impl WorkspaceScope {
    pub fn place(&self) -> Place {
        Place { workspace_id: Some(self.id), ..self.resource_group.place() }
    }
    pub fn path(&self) -> String {
        format!("{}/workspaces/{}", self.resource_group.path(), self.name)
    }
}

impl Target for OrganizationScope {
    fn organization_id(&self) -> i64 {
        self.id
    }
    fn scope_chain(&self) -> Vec<ScopeRef> {
        vec![ScopeRef::organization(self.id)]
    }
    fn read_action(&self) -> Action {
        Action::OrganizationsRead
    }
}

impl Target for ResourceGroupScope {
    fn organization_id(&self) -> i64 {
        self.organization.id
    }
    fn scope_chain(&self) -> Vec<ScopeRef> {
        vec![ScopeRef::organization(self.organization.id), ScopeRef::resource_group(self.id)]
    }
    fn read_action(&self) -> Action {
        Action::ResourceGroupsRead
    }
}

impl Target for WorkspaceScope {
    fn organization_id(&self) -> i64 {
        self.resource_group.organization.id
    }
    fn scope_chain(&self) -> Vec<ScopeRef> {
        let mut chain = self.resource_group.scope_chain();
        chain.push(ScopeRef::workspace(self.id));
        chain
    }
    fn read_action(&self) -> Action {
        Action::WorkspacesRead
    }
}

/// The columns `workspace_from_row` reads, for `concat!` into queries.
macro_rules! workspace_columns {
    () => {
        "o.id AS org_id, o.slug, o.name AS org_name, g.id AS rg_id, g.name AS rg_name, \
         w.id AS ws_id, w.name AS ws_name, w.deleted_at"
    };
}
pub(crate) use workspace_columns;

/// The joins that go with [`workspace_columns`]: a workspace, its group and its organization.
macro_rules! workspace_joins {
    () => {
        "FROM workspaces w \
         JOIN resource_groups g ON g.id = w.resource_group_id AND g.organization_id = w.organization_id \
         JOIN organizations o ON o.id = w.organization_id"
    };
}
pub(crate) use workspace_joins;

pub async fn organization(
    pool: &Pool,
    slug: &str,
) -> Result<Option<OrganizationScope>, sqlx::Error> {
    sqlx::query("SELECT id AS org_id, slug, name AS org_name FROM organizations WHERE slug = $1")
        .bind(slug.to_ascii_lowercase())
        .fetch_optional(pool)
        .await?
        .map(|row| organization_from_row(&row))
        .transpose()
}

pub async fn resource_group(
    pool: &Pool,
    slug: &str,
    group: &str,
) -> Result<Option<ResourceGroupScope>, sqlx::Error> {
    sqlx::query(
        "SELECT o.id AS org_id, o.slug, o.name AS org_name, g.id AS rg_id, g.name AS rg_name \
         FROM resource_groups g JOIN organizations o ON o.id = g.organization_id \
         WHERE o.slug = $1 AND g.name_key = $2",
    )
    .bind(slug.to_ascii_lowercase())
    .bind(group.to_ascii_lowercase())
    .fetch_optional(pool)
    .await?
    .map(|row| resource_group_from_row(&row))
    .transpose()
}

/// The workspace at `/organizations/{slug}/resourceGroups/{group}/workspaces/{name}`, deleted
/// or not.
pub async fn workspace_scope(
    pool: &Pool,
    path: &WorkspacePath,
) -> Result<Option<WorkspaceScope>, sqlx::Error> {
    Ok(workspace_for_authorization(pool, path).await?.map(|(ws, _)| ws))
}

/// [`workspace_scope`] with its organization's access generation (see
/// `server::authz::role_cache`), for authorizing a request in one query.
pub async fn workspace_for_authorization(
    pool: &Pool,
    path: &WorkspacePath,
) -> Result<Option<(WorkspaceScope, i64)>, sqlx::Error> {
    let row = sqlx::query(concat!(
        "SELECT ",
        workspace_columns!(),
        ", o.access_generation ",
        workspace_joins!(),
        " WHERE o.slug = $1 AND g.name_key = $2 AND w.name_key = $3"
    ))
    .bind(path.organization.to_ascii_lowercase())
    .bind(path.resource_group.to_ascii_lowercase())
    .bind(path.workspace.to_ascii_lowercase())
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((workspace_from_row(&row)?, row.try_get("access_generation")?))).transpose()
}

pub fn organization_from_row(row: &sqlx::any::AnyRow) -> Result<OrganizationScope, sqlx::Error> {
    Ok(OrganizationScope {
        id: row.try_get("org_id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("org_name")?,
    })
}

pub fn resource_group_from_row(row: &sqlx::any::AnyRow) -> Result<ResourceGroupScope, sqlx::Error> {
    Ok(ResourceGroupScope {
        organization: organization_from_row(row)?,
        id: row.try_get("rg_id")?,
        name: row.try_get("rg_name")?,
    })
}

pub fn workspace_from_row(row: &sqlx::any::AnyRow) -> Result<WorkspaceScope, sqlx::Error> {
    Ok(WorkspaceScope {
        resource_group: resource_group_from_row(row)?,
        id: row.try_get("ws_id")?,
        name: row.try_get("ws_name")?,
        deleted: row.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
    })
}

/// Any of the three scopes, for pages that work the same at every level (access control,
/// activity log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnyScope {
    Organization(OrganizationScope),
    ResourceGroup(ResourceGroupScope),
    Workspace(WorkspaceScope),
}

impl AnyScope {
    /// The scope's path, and its ancestors' paths, outermost first, paired with their refs.
    pub fn chain_paths(&self) -> Vec<(ScopeRef, ScopePath)> {
        let org = self.organization();
        let mut chain = vec![(
            ScopeRef::organization(org.id),
            ScopePath::Organization { org: org.slug.clone() },
        )];
        let group = match self {
            Self::Organization(_) => None,
            Self::ResourceGroup(g) => Some(g),
            Self::Workspace(w) => Some(&w.resource_group),
        };
        if let Some(g) = group {
            chain.push((
                ScopeRef::resource_group(g.id),
                ScopePath::ResourceGroup { org: org.slug.clone(), group: g.name.clone() },
            ));
        }
        if let Self::Workspace(w) = self {
            chain.push((
                ScopeRef::workspace(w.id),
                ScopePath::Workspace {
                    org: org.slug.clone(),
                    group: w.resource_group.name.clone(),
                    workspace: w.name.clone(),
                },
            ));
        }
        chain
    }

    pub fn organization(&self) -> &OrganizationScope {
        match self {
            Self::Organization(o) => o,
            Self::ResourceGroup(g) => &g.organization,
            Self::Workspace(w) => &w.resource_group.organization,
        }
    }

    pub fn scope_ref(&self) -> ScopeRef {
        match self {
            Self::Organization(o) => ScopeRef::organization(o.id),
            Self::ResourceGroup(g) => ScopeRef::resource_group(g.id),
            Self::Workspace(w) => ScopeRef::workspace(w.id),
        }
    }

    pub fn path(&self) -> ScopePath {
        self.chain_paths().pop().map(|(_, path)| path).unwrap_or(ScopePath::Root)
    }

    pub fn place(&self) -> Place {
        match self {
            Self::Organization(o) => o.place(),
            Self::ResourceGroup(g) => g.place(),
            Self::Workspace(w) => w.place(),
        }
    }
}

impl Target for AnyScope {
    fn organization_id(&self) -> i64 {
        self.organization().id
    }
    fn scope_chain(&self) -> Vec<ScopeRef> {
        self.chain_paths().into_iter().map(|(r, _)| r).collect()
    }
    fn read_action(&self) -> Action {
        match self {
            Self::Organization(o) => o.read_action(),
            Self::ResourceGroup(g) => g.read_action(),
            Self::Workspace(w) => w.read_action(),
        }
    }
}

/// The scope a stored reference (kind and id) points at, inside `organization_id`; a deleted
/// workspace is not found.
pub async fn by_ref(
    pool: &Pool,
    organization_id: i64,
    scope: ScopeRef,
) -> Result<Option<AnyScope>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    by_ref_in(&mut conn, organization_id, scope).await
}

/// [`by_ref`] inside a transaction.
pub async fn by_ref_in(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    scope: ScopeRef,
) -> Result<Option<AnyScope>, sqlx::Error> {
    use crate::authz::ScopeKind;
    let query = match scope.kind {
        ScopeKind::Organization => {
            "SELECT id AS org_id, slug, name AS org_name FROM organizations \
             WHERE id = $1 AND id = $2"
        }
        ScopeKind::ResourceGroup => {
            "SELECT o.id AS org_id, o.slug, o.name AS org_name, g.id AS rg_id, g.name AS rg_name \
             FROM resource_groups g JOIN organizations o ON o.id = g.organization_id \
             WHERE g.id = $1 AND g.organization_id = $2"
        }
        ScopeKind::Workspace => concat!(
            "SELECT ",
            workspace_columns!(),
            " ",
            workspace_joins!(),
            " WHERE w.id = $1 AND w.organization_id = $2"
        ),
    };
    let Some(row) =
        sqlx::query(query).bind(scope.id).bind(organization_id).fetch_optional(&mut *conn).await?
    else {
        return Ok(None);
    };
    Ok(match scope.kind {
        ScopeKind::Organization => Some(AnyScope::Organization(organization_from_row(&row)?)),
        ScopeKind::ResourceGroup => Some(AnyScope::ResourceGroup(resource_group_from_row(&row)?)),
        ScopeKind::Workspace => {
            Some(workspace_from_row(&row)?).filter(|w| !w.deleted).map(AnyScope::Workspace)
        }
    })
}

/// Resolves a scope path to ids; a deleted workspace is not found.
pub async fn any(pool: &Pool, path: &ScopePath) -> Result<Option<AnyScope>, sqlx::Error> {
    Ok(match path {
        ScopePath::Root => None,
        ScopePath::Organization { org } => {
            organization(pool, org).await?.map(AnyScope::Organization)
        }
        ScopePath::ResourceGroup { org, group } => {
            resource_group(pool, org, group).await?.map(AnyScope::ResourceGroup)
        }
        ScopePath::Workspace { org, group, workspace } => {
            workspace_scope(pool, &WorkspacePath::new(org, group, workspace))
                .await?
                .filter(|w| !w.deleted)
                .map(AnyScope::Workspace)
        }
    })
}
