//! The targets of authorization: an organization, a resource group or a workspace, resolved
//! from the names in a URL to ids. Resolving reveals nothing: callers pass the result straight
//! to `authz::require`, which answers "not found" for what the person may not read.

use sqlx::Row;

use super::Pool;
use crate::authz::{Action, ScopeRef};
use crate::server::authz::Target;

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

pub async fn workspace(
    pool: &Pool,
    slug: &str,
    group: &str,
    name: &str,
) -> Result<Option<WorkspaceScope>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT ",
        workspace_columns!(),
        " ",
        workspace_joins!(),
        " WHERE o.slug = $1 AND g.name_key = $2 AND w.name_key = $3"
    ))
    .bind(slug.to_ascii_lowercase())
    .bind(group.to_ascii_lowercase())
    .bind(name.to_ascii_lowercase())
    .fetch_optional(pool)
    .await?
    .map(|row| workspace_from_row(&row))
    .transpose()
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
