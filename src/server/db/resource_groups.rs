//! Resource groups: folders of workspaces inside an organization.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::role_assignments;
use crate::authz::{Action, ScopeRef};

use super::scopes::{resource_group_from_row, OrganizationScope, ResourceGroupScope};
use super::{now, Pool};
use crate::domain::ResourceGroupName;
use crate::server::authz::proof::Authorized;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the resource group name is taken")]
    NameTaken,
    #[error("the workspace name is taken in its resource group")]
    WorkspaceNameTaken,
    #[error("the group still holds {0} workspace(s)")]
    NotEmpty(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Assignment(#[from] super::role_assignments::ChangeError),
    #[error(transparent)]
    Group(#[from] super::groups::GroupError),
}

fn name_clash(error: sqlx::Error) -> ChangeError {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => ChangeError::NameTaken,
        e => e.into(),
    }
}

pub async fn list(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
) -> Result<Vec<ResourceGroupScope>, sqlx::Error> {
    sqlx::query(
        "SELECT o.id AS org_id, o.slug, o.name AS org_name, g.id AS rg_id, g.name AS rg_name \
         FROM resource_groups g JOIN organizations o ON o.id = g.organization_id \
         WHERE g.organization_id = $1 ORDER BY g.name_key",
    )
    .bind(org.target().id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(resource_group_from_row)
    .collect()
}

/// Every group in the organizations where `user_id` holds some role: the candidates a list
/// filters with `authz::filter_permitted`.
pub async fn in_organizations_of(
    pool: &Pool,
    user_id: i64,
) -> Result<Vec<ResourceGroupScope>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT o.id AS org_id, o.slug, o.name AS org_name, g.id AS rg_id, g.name AS rg_name \
         FROM resource_groups g JOIN organizations o ON o.id = g.organization_id \
         WHERE g.organization_id IN ",
        role_assignments::organizations_of_user!(),
        " ORDER BY o.name, g.name_key",
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(resource_group_from_row)
    .collect()
}

/// Inserts a group inside the caller's transaction.
pub async fn insert(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    org: &OrganizationScope,
    name: &ResourceGroupName,
) -> Result<ResourceGroupScope, ChangeError> {
    let row = sqlx::query(
        "INSERT INTO resource_groups (organization_id, name, name_key, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.id)
    .bind(name.as_str())
    .bind(name.key())
    .bind(actor.user_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(name_clash)?;
    let group = ResourceGroupScope {
        organization: org.clone(),
        id: row.try_get("id")?,
        name: name.as_str().to_owned(),
    };
    let event = Event {
        action: Action::ResourceGroupsWrite,
        place: group.place(),
        scope_path: &group.path(),
        target: name.as_str(),
        details: json!({ "operation": "create" }),
    };
    audit::record(tx, actor, event).await?;
    Ok(group)
}

pub async fn create(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    name: &ResourceGroupName,
) -> Result<ResourceGroupScope, ChangeError> {
    let mut tx = super::begin(pool).await?;
    let group = insert(&mut tx, actor, org.target(), name).await?;
    tx.commit().await?;
    Ok(group)
}

pub async fn rename(
    pool: &Pool,
    group: &Authorized<ResourceGroupScope>,
    actor: &Actor,
    name: &ResourceGroupName,
) -> Result<(), ChangeError> {
    let target = group.target();
    let mut tx = super::begin(pool).await?;
    sqlx::query("UPDATE resource_groups SET name = $1, name_key = $2 WHERE id = $3 AND organization_id = $4")
        .bind(name.as_str())
        .bind(name.key())
        .bind(target.id)
        .bind(target.organization.id)
        .execute(&mut *tx)
        .await
        .map_err(name_clash)?;
    let event = Event {
        action: Action::ResourceGroupsWrite,
        place: target.place(),
        scope_path: &target.path(),
        target: name.as_str(),
        details: json!({ "operation": "rename", "before": target.name, "after": name.as_str() }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an empty group. Deleted workspaces awaiting purge still count: they can come back.
pub async fn delete(
    pool: &Pool,
    group: &Authorized<ResourceGroupScope>,
    actor: &Actor,
) -> Result<(), ChangeError> {
    let target = group.target();
    let mut tx = super::begin(pool).await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workspaces WHERE resource_group_id = $1 AND organization_id = $2",
    )
    .bind(target.id)
    .bind(target.organization.id)
    .fetch_one(&mut *tx)
    .await?;
    if count > 0 {
        return Err(ChangeError::NotEmpty(count));
    }
    role_assignments::remove_at_scope(
        &mut tx,
        target.organization.id,
        ScopeRef::resource_group(target.id),
    )
    .await?;
    sqlx::query("DELETE FROM resource_groups WHERE id = $1 AND organization_id = $2")
        .bind(target.id)
        .bind(target.organization.id)
        .execute(&mut *tx)
        .await?;
    let event = Event {
        action: Action::ResourceGroupsDelete,
        place: target.place(),
        scope_path: &target.path(),
        target: &target.name,
        details: json!({ "operation": "delete" }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}
