//! Workspaces: creation (creator becomes Owner), settings, soft delete, restore and purge.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::groups::Membership;
use super::role_definitions;
use super::scopes::AnyScope;
use crate::authz::{Action, RoleDefinition};

use super::resource_groups::{self, ChangeError};
use super::scopes::{workspace_columns, workspace_from_row, workspace_joins};
use super::scopes::{OrganizationScope, ResourceGroupScope, WorkspaceScope};
use super::{now, role_assignments, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::ScopeRef;
use crate::domain::{
    Description, DisplayName, Environment, ResourceGroupName, Tags, WorkspaceName,
};
use crate::server::authz::proof::{Authorized, Target};

pub struct NewWorkspace {
    pub name: WorkspaceName,
    pub display_name: DisplayName,
    pub description: Description,
    pub environment: Environment,
    pub tags: Tags,
}

#[derive(Clone, Debug)]
pub struct WorkspaceRecord {
    pub scope: WorkspaceScope,
    pub display_name: String,
    pub description: String,
    pub environment: Environment,
    pub tags: Tags,
    pub created_by: String,
    pub created_at: i64,
    pub last_activity_at: i64,
    pub purge_after: Option<i64>,
}

/// A workspace as lists show it (home page, switcher, a group's page).
#[derive(Clone, Debug)]
pub struct WorkspaceListing {
    pub scope: WorkspaceScope,
    pub display_name: String,
    pub environment: Environment,
    pub last_activity_at: i64,
    pub purge_after: Option<i64>,
    /// The organization's access generation when this was read (see `authz::role_cache`).
    pub access_generation: i64,
}

impl Target for WorkspaceListing {
    fn organization_id(&self) -> i64 {
        self.scope.organization_id()
    }
    fn scope_chain(&self) -> Vec<ScopeRef> {
        self.scope.scope_chain()
    }
    fn read_action(&self) -> crate::authz::Action {
        self.scope.read_action()
    }
    fn access_generation(&self) -> Option<i64> {
        Some(self.access_generation)
    }
}

fn listing_from_row(row: &sqlx::any::AnyRow) -> Result<WorkspaceListing, sqlx::Error> {
    let environment: String = row.try_get("environment")?;
    Ok(WorkspaceListing {
        scope: workspace_from_row(row)?,
        display_name: row.try_get("display_name")?,
        environment: Environment::parse(&environment)
            .map_err(|e| sqlx::Error::Decode(e.0.into()))?,
        last_activity_at: row.try_get("last_activity_at")?,
        purge_after: row.try_get("purge_after")?,
        access_generation: row.try_get("access_generation")?,
    })
}

/// Live workspaces in every organization where `user_id` holds some role: the candidates a
/// list filters with `authz::filter_permitted`.
pub async fn listings_for_member(
    pool: &Pool,
    user_id: i64,
) -> Result<Vec<WorkspaceListing>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT ",
        workspace_columns!(),
        ", w.display_name, w.environment, w.last_activity_at, w.purge_after, \
         o.access_generation ",
        workspace_joins!(),
        " WHERE w.deleted_at IS NULL AND w.organization_id IN ",
        role_assignments::organizations_of_user!(),
        " ORDER BY w.last_activity_at DESC, w.name_key"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(listing_from_row)
    .collect()
}

/// Where a new workspace goes: an existing group, or a group created with it.
pub enum Placement<'a> {
    Existing(&'a Authorized<ResourceGroupScope>),
    NewGroup(&'a Authorized<OrganizationScope>, &'a ResourceGroupName),
}

/// Access that comes with new workspaces beyond their creator's Owner role (the project
/// template's presets).
#[derive(Default)]
pub struct InitialAccess<'a> {
    /// A custom role to create in the organization unless it already has one by that name.
    pub role: Option<&'a RoleDefinition>,
    /// (person, role, where, until): `None` is the resource group, `Some(i)` the i-th new
    /// workspace; `until` ends time-boxed access (given by someone whose own access ends).
    pub grants: Vec<(i64, String, Option<usize>, Option<i64>)>,
    /// Groups to create with the workspaces, each with its members and roles.
    pub groups: Vec<InitialGroup>,
}

/// A group the project template creates: its name and description, its members (people or
/// service principals of the organization), and its roles as (role, where, until), "where"
/// as in [`InitialAccess::grants`].
#[derive(Clone, Debug)]
pub struct InitialGroup {
    pub name: String,
    pub description: String,
    pub members: Vec<i64>,
    pub roles: Vec<(String, Option<usize>, Option<i64>)>,
}

/// Creates workspaces (and their new group, if any) in one transaction; the creator becomes
/// each workspace's Owner (until their own access there ends, if it is time-boxed).
pub async fn create(
    pool: &Pool,
    placement: Placement<'_>,
    actor: &Actor,
    workspaces: &[NewWorkspace],
    access: &InitialAccess<'_>,
) -> Result<Vec<WorkspaceScope>, ChangeError> {
    let mut tx = super::begin(pool).await?;
    // A creator whose access there is time-boxed owns what they create only as long.
    let (group, creator, owner_until) = match placement {
        Placement::Existing(group) => {
            (group.target().clone(), group.user_id(), group.permitted_until([group.action()]))
        }
        Placement::NewGroup(org, name) => (
            resource_groups::insert(&mut tx, actor, org.target(), name).await?,
            org.user_id(),
            org.permitted_until([org.action()]),
        ),
    };
    let mut created = Vec::with_capacity(workspaces.len());
    for new in workspaces {
        let id = insert(&mut tx, &group, new, creator).await?;
        let ws = WorkspaceScope {
            resource_group: group.clone(),
            id,
            name: new.name.as_str().to_owned(),
            deleted: false,
        };
        let event = Event {
            action: Action::WorkspacesWrite,
            place: ws.place(),
            scope_path: &ws.path(),
            target: new.name.as_str(),
            details: json!({
                "operation": "create",
                "display_name": new.display_name.as_str(),
                "environment": new.environment.as_str(),
            }),
        };
        audit::record(&mut tx, actor, event).await?;
        let scope = AnyScope::Workspace(ws.clone());
        let creators = (creator, creator);
        role_assignments::grant_until(&mut tx, actor, &scope, creators, OWNER, owner_until).await?;
        created.push(ws);
    }
    if let Some(role) = access.role {
        role_definitions::insert_if_missing(&mut tx, actor, &group.organization, role).await?;
    }
    for (user_id, role, at, until) in &access.grants {
        let scope = match at {
            None => AnyScope::ResourceGroup(group.clone()),
            Some(i) => AnyScope::Workspace(created[*i].clone()),
        };
        let people = (*user_id, creator);
        role_assignments::grant_until(&mut tx, actor, &scope, people, role, *until).await?;
    }
    for new_group in &access.groups {
        let org = &group.organization;
        let about = (new_group.name.as_str(), new_group.description.as_str());
        let id = super::groups::insert(&mut tx, org, actor, creator, about).await?;
        for &user_id in &new_group.members {
            let member = Membership { group_id: id, user_id, manager: false, added_by: creator };
            super::groups::insert_member(&mut tx, org, actor, member).await?;
        }
        for (role, at, until) in &new_group.roles {
            let scope = match at {
                None => AnyScope::ResourceGroup(group.clone()),
                Some(i) => AnyScope::Workspace(created[*i].clone()),
            };
            let giving = ((role.as_str(), creator), *until);
            super::groups::grant_in(&mut tx, actor, &scope, id, giving).await?;
        }
    }
    tx.commit().await?;
    Ok(created)
}

async fn insert(
    tx: &mut sqlx::AnyConnection,
    group: &ResourceGroupScope,
    new: &NewWorkspace,
    creator: i64,
) -> Result<i64, ChangeError> {
    let at = now();
    let row = sqlx::query(
        "INSERT INTO workspaces (organization_id, resource_group_id, name, name_key, display_name, \
         description, environment, created_by, created_at, updated_at, last_activity_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING id",
    )
    .bind(group.organization.id)
    .bind(group.id)
    .bind(new.name.as_str())
    .bind(new.name.key())
    .bind(new.display_name.as_str())
    .bind(new.description.as_str())
    .bind(new.environment.as_str())
    .bind(creator)
    .bind(at)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::WorkspaceNameTaken,
        e => e.into(),
    })?;
    let id: i64 = row.try_get("id")?;
    write_tags(tx, group.organization.id, id, &new.tags).await?;
    super::datastores::insert_default(tx, group.organization.id, id).await?;
    Ok(id)
}

async fn write_tags(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    workspace_id: i64,
    tags: &Tags,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = $1 AND organization_id = $2")
        .bind(workspace_id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    for (position, (key, value)) in tags.pairs().iter().enumerate() {
        sqlx::query(
            "INSERT INTO workspace_tags (organization_id, workspace_id, position, tag_key, tag_value) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id)
        .bind(workspace_id)
        .bind(position as i64)
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub async fn details(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
) -> Result<WorkspaceRecord, sqlx::Error> {
    let scope = ws.target();
    let org = scope.resource_group.organization.id;
    let row = sqlx::query(
        "SELECT w.display_name, w.description, w.environment, w.created_at, w.last_activity_at, \
         w.purge_after, u.display_name AS creator FROM workspaces w JOIN users u ON u.id = w.created_by \
         WHERE w.id = $1 AND w.organization_id = $2",
    )
    .bind(scope.id)
    .bind(org)
    .fetch_one(pool)
    .await?;
    let tags = sqlx::query(
        "SELECT tag_key, tag_value FROM workspace_tags WHERE workspace_id = $1 AND organization_id = $2 \
         ORDER BY position",
    )
    .bind(scope.id)
    .bind(org)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("tag_key")?, r.try_get("tag_value")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let environment: String = row.try_get("environment")?;
    Ok(WorkspaceRecord {
        scope: scope.clone(),
        display_name: row.try_get("display_name")?,
        description: row.try_get("description")?,
        environment: Environment::parse(&environment)
            .map_err(|e| sqlx::Error::Decode(e.0.into()))?,
        tags: Tags::from_pairs(tags),
        created_by: row.try_get("creator")?,
        created_at: row.try_get("created_at")?,
        last_activity_at: row.try_get("last_activity_at")?,
        purge_after: row.try_get("purge_after")?,
    })
}

pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    display_name: &DisplayName,
    description: &Description,
    tags: &Tags,
) -> Result<(), sqlx::Error> {
    let before = details(pool, ws).await?;
    let scope = ws.target();
    let org = scope.resource_group.organization.id;
    let mut tx = super::begin(pool).await?;
    let at = now();
    sqlx::query(
        "UPDATE workspaces SET display_name = $1, description = $2, updated_at = $3, last_activity_at = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(display_name.as_str())
    .bind(description.as_str())
    .bind(at)
    .bind(scope.id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    write_tags(&mut tx, org, scope.id, tags).await?;
    let event = Event {
        action: Action::WorkspacesWrite,
        place: scope.place(),
        scope_path: &scope.path(),
        target: &scope.name,
        details: json!({
            "operation": "update",
            "before": { "display_name": before.display_name, "description": before.description, "tags": before.tags.to_text() },
            "after": { "display_name": display_name.as_str(), "description": description.as_str(), "tags": tags.to_text() },
        }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await
}

/// A delete, restore or purge: the workspace's own row changes and the log records it.
async fn lifecycle_event(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    scope: &WorkspaceScope,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let event = Event {
        action: Action::WorkspacesDelete,
        place: scope.place(),
        scope_path: &scope.path(),
        target: &scope.name,
        details,
    };
    audit::record(tx, actor, event).await
}

/// Marks the workspace deleted; it can be restored until `retention_days` have passed.
pub async fn soft_delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    retention_days: i64,
) -> Result<(), sqlx::Error> {
    let scope = ws.target();
    let at = now();
    let purge_after = at + retention_days * 86_400;
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "UPDATE workspaces SET deleted_at = $1, deleted_by = $2, purge_after = $3 \
         WHERE id = $4 AND organization_id = $5 AND deleted_at IS NULL",
    )
    .bind(at)
    .bind(ws.user_id())
    .bind(purge_after)
    .bind(scope.id)
    .bind(scope.resource_group.organization.id)
    .execute(&mut *tx)
    .await?;
    lifecycle_event(
        &mut tx,
        actor,
        scope,
        json!({ "operation": "delete", "purge_after": purge_after }),
    )
    .await?;
    tx.commit().await
}

pub async fn restore(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
) -> Result<(), sqlx::Error> {
    let scope = ws.target();
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "UPDATE workspaces SET deleted_at = NULL, deleted_by = NULL, purge_after = NULL, last_activity_at = $1 \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(now())
    .bind(scope.id)
    .bind(scope.resource_group.organization.id)
    .execute(&mut *tx)
    .await?;
    lifecycle_event(&mut tx, actor, scope, json!({ "operation": "restore" })).await?;
    tx.commit().await
}

/// Removes a deleted workspace for good, with everything it holds, its tags and role
/// assignments.
pub async fn purge(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
) -> Result<(), sqlx::Error> {
    purge_scope(pool, ws.target(), actor).await
}

async fn purge_scope(
    pool: &Pool,
    scope: &WorkspaceScope,
    actor: &Actor,
) -> Result<(), sqlx::Error> {
    let (org, id) = (scope.resource_group.organization.id, scope.id);
    let mut tx = super::begin(pool).await?;
    role_assignments::remove_at_scope(&mut tx, org, ScopeRef::workspace(id)).await?;
    super::workspace_contents::delete_all(&mut tx, org, id).await?;
    sqlx::query("DELETE FROM workspace_tags WHERE workspace_id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM workspaces WHERE id = $1 AND organization_id = $2 AND deleted_at IS NOT NULL",
    )
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    lifecycle_event(&mut tx, actor, scope, json!({ "operation": "purge" })).await?;
    tx.commit().await
}

/// The retention window's end: purges every deleted workspace whose time is up. Atelier does
/// this itself, on no one's behalf.
/// Returns the ids of the workspaces purged, whose files the caller removes.
pub async fn purge_expired(pool: &Pool) -> Result<Vec<i64>, sqlx::Error> {
    let due = sqlx::query(concat!(
        "SELECT ",
        workspace_columns!(),
        " ",
        workspace_joins!(),
        " WHERE w.purge_after IS NOT NULL AND w.purge_after <= $1"
    ))
    .bind(now())
    .fetch_all(pool)
    .await?;
    let actor = Actor::system("retention");
    let mut purged = Vec::with_capacity(due.len());
    for row in &due {
        let scope = workspace_from_row(row)?;
        purge_scope(pool, &scope, &actor).await?;
        purged.push(scope.id);
    }
    Ok(purged)
}

/// Live and deleted workspaces of a group, for its page.
pub async fn in_group(
    pool: &Pool,
    group: &Authorized<ResourceGroupScope>,
) -> Result<Vec<WorkspaceListing>, sqlx::Error> {
    let target = group.target();
    sqlx::query(concat!(
        "SELECT ",
        workspace_columns!(),
        ", w.display_name, w.environment, w.last_activity_at, w.purge_after, \
         o.access_generation ",
        workspace_joins!(),
        " WHERE w.resource_group_id = $1 AND w.organization_id = $2 ORDER BY w.name_key"
    ))
    .bind(target.id)
    .bind(target.organization.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(listing_from_row)
    .collect()
}
