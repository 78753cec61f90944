//! Renaming, describing and deleting groups, and the last-Owner rule a change of group must
//! keep: an Owner assignment of a group counts only while the group has members
//! (`role_assignments::LASTING_OWNERS`), so emptying or deleting a group may leave an
//! organization or workspace without an Owner, and is refused then.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::groups::{name_in, record, GroupError};
use super::role_assignments::{lock_organization, scope_from_row, LASTING_OWNERS};
use super::scopes::{by_ref_in, OrganizationScope};
use super::{now, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::{Action, ScopeKind, ScopeRef};
use crate::domain::role_key;
use crate::server::authz::proof::Authorized;

/// The scopes that must keep an Owner where group `group_id` is a lasting Owner: organizations
/// and workspaces (a resource group needs none of its own).
pub(super) async fn owned_through(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    group_id: i64,
) -> Result<Vec<ScopeRef>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT scope_kind, scope_id FROM role_assignments \
         WHERE group_id = $1 AND organization_id = $2 AND role_key = $3 AND expires_at IS NULL",
    )
    .bind(group_id)
    .bind(organization_id)
    .bind(role_key(OWNER))
    .fetch_all(&mut *tx)
    .await?;
    let scopes = rows.iter().map(scope_from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(scopes.into_iter().filter(|s| s.kind != ScopeKind::ResourceGroup).collect())
}

/// Fails with the first of `scopes` left without a lasting Owner (inside the change's
/// transaction, which the failure rolls back).
pub(super) async fn owners_remain(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    scopes: &[ScopeRef],
) -> Result<(), GroupError> {
    for scope in scopes {
        let owners: i64 = sqlx::query_scalar(LASTING_OWNERS)
            .bind(organization_id)
            .bind(scope.kind.as_str())
            .bind(scope.id)
            .bind(OWNER)
            .fetch_one(&mut *tx)
            .await?;
        if owners == 0 {
            return Err(GroupError::LastOwner(path_of(tx, organization_id, *scope).await?));
        }
    }
    Ok(())
}

async fn path_of(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    scope: ScopeRef,
) -> Result<String, sqlx::Error> {
    Ok(by_ref_in(tx, organization_id, scope)
        .await?
        .map(|found| found.path().to_string())
        .unwrap_or_default())
}

/// Gives group `group_id` a new name and description; its role assignments and members stay.
pub async fn rename(
    pool: &Pool,
    proof: &Authorized<OrganizationScope>,
    actor: &Actor,
    group_id: i64,
    (name, description): (&str, &str),
) -> Result<(), GroupError> {
    let org = proof.target();
    let mut tx = super::begin(pool).await?;
    let before = name_in(&mut tx, org, group_id).await?;
    let updated = sqlx::query(
        "UPDATE access_groups SET name = $1, name_key = $2, description = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(name)
    .bind(role_key(name))
    .bind(description)
    .bind(group_id)
    .bind(org.id)
    .execute(&mut *tx)
    .await;
    match updated {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => return Err(GroupError::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(GroupError::NameTaken)
        }
        Err(e) => return Err(e.into()),
    }
    super::group_invitations::follow_rename(&mut tx, group_id, name).await?;
    let details = json!({ "operation": "update", "before": before, "description": description });
    record(&mut tx, actor, org, (name, Action::GroupsWrite), details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes group `group_id` with its memberships, and revokes its pending invitations. While it
/// holds role assignments it is refused, naming them, unless `remove_access`: then they go too,
/// each in the activity log. Either way no organization or workspace is left without an Owner.
pub async fn delete(
    pool: &Pool,
    proof: &Authorized<OrganizationScope>,
    actor: &Actor,
    group_id: i64,
    remove_access: bool,
) -> Result<(), GroupError> {
    let org = proof.target();
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, org.id).await?;
    let name = name_in(&mut tx, org, group_id).await?;
    let held = sqlx::query(
        "SELECT id, role_name, scope_kind, scope_id FROM role_assignments \
         WHERE group_id = $1 AND organization_id = $2 ORDER BY id",
    )
    .bind(group_id)
    .bind(org.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut assignments = Vec::new();
    for row in &held {
        let scope = by_ref_in(&mut tx, org.id, scope_from_row(row)?).await?;
        // A scope being purged has no path: its assignments go with it anyway.
        let Some(scope) = scope else { continue };
        assignments.push((row.try_get::<String, _>("role_name")?, scope));
    }
    if !assignments.is_empty() && !remove_access {
        let named =
            assignments.iter().map(|(role, at)| format!("{role} at {}", at.path())).collect();
        return Err(GroupError::HoldsAccess(named));
    }
    let owned = owned_through(&mut tx, org.id, group_id).await?;
    for (role, scope) in &assignments {
        let event = Event {
            action: Action::RoleAssignmentsDelete,
            place: scope.place(),
            scope_path: &scope.path().to_string(),
            target: &format!("group {name}"),
            details: json!({ "operation": "remove", "role": role }),
        };
        audit::record(&mut tx, actor, event).await?;
    }
    super::group_invitations::revoke_for_deleted_group(&mut tx, org, actor, group_id, now())
        .await?;
    for statement in [
        "DELETE FROM role_assignments WHERE group_id = $1 AND organization_id = $2",
        "DELETE FROM access_group_members WHERE group_id = $1 AND organization_id = $2",
        "DELETE FROM access_groups WHERE id = $1 AND organization_id = $2",
    ] {
        sqlx::query(statement).bind(group_id).bind(org.id).execute(&mut *tx).await?;
    }
    owners_remain(&mut tx, org.id, &owned).await?;
    let details = json!({ "operation": "delete", "removed_assignments": assignments.len() });
    record(&mut tx, actor, org, (&name, Action::GroupsDelete), details).await?;
    tx.commit().await?;
    Ok(())
}
