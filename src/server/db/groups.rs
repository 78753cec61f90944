//! An organization's groups (teams) and who is in them. A group is a principal of role
//! assignments: whoever is in it holds the group's roles in every decision
//! (`role_assignments::for_user_in_organization`), and a change of membership moves the
//! organization's access generation (a trigger), so it counts on the next request everywhere.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::role_assignments::{self, lock_organization, user_target, ChangeError};
use super::scopes::{AnyScope, OrganizationScope};
use super::{now, Pool};
use crate::authz::Action;
use crate::domain::role_key;
use crate::server::authz::proof::Authorized;

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("a group with this name already exists here")]
    NameTaken,
    #[error("no such group here")]
    NotFound,
    #[error("already in this group")]
    AlreadyMember,
    #[error("not in this group")]
    NotMember,
    /// The change would leave the scope (its path) without an Owner.
    #[error("the group is the last Owner of {0}")]
    LastOwner(String),
    /// The group holds these roles ("Data Scientist at /organizations/…"): deleting it needs
    /// its access removed too.
    #[error("the group holds role assignments")]
    HoldsAccess(Vec<String>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates the group `name` in the proof's organization, with no members yet.
pub async fn create(
    pool: &Pool,
    proof: &Authorized<OrganizationScope>,
    actor: &Actor,
    (name, description): (&str, &str),
) -> Result<i64, GroupError> {
    let mut tx = super::begin(pool).await?;
    let id = insert(&mut tx, proof.target(), actor, proof.user_id(), (name, description)).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction, by `creator` (the project template makes its
/// groups with its workspaces, in one commit).
pub(super) async fn insert(
    tx: &mut sqlx::AnyConnection,
    org: &OrganizationScope,
    actor: &Actor,
    creator: i64,
    (name, description): (&str, &str),
) -> Result<i64, GroupError> {
    let inserted = sqlx::query(
        "INSERT INTO access_groups (organization_id, name, name_key, description, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org.id)
    .bind(name)
    .bind(role_key(name))
    .bind(description)
    .bind(creator)
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id = super::inserted_id(inserted, GroupError::NameTaken)?;
    let details = json!({ "operation": "create", "description": description });
    record(tx, actor, org, (name, Action::GroupsWrite), details).await?;
    Ok(id)
}

/// Records a change to group `name` in the organization's activity log, as `action`.
pub(super) async fn record(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    org: &OrganizationScope,
    (name, action): (&str, Action),
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let event = Event {
        action,
        place: org.place(),
        scope_path: &org.path(),
        target: &format!("group {name}"),
        details,
    };
    audit::record(tx, actor, event).await
}

/// The name of group `id`, if it belongs to the organization.
pub(super) async fn name_in(
    tx: &mut sqlx::AnyConnection,
    org: &OrganizationScope,
    id: i64,
) -> Result<String, GroupError> {
    sqlx::query_scalar("SELECT name FROM access_groups WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(GroupError::NotFound)
}

/// Puts `user_id` (a person or service principal of the organization: the caller checks) in
/// group `group_id`; a manager may change the group's membership.
pub async fn add_member(
    pool: &Pool,
    proof: &Authorized<OrganizationScope>,
    actor: &Actor,
    (group_id, user_id): (i64, i64),
    manager: bool,
) -> Result<(), GroupError> {
    let mut tx = super::begin(pool).await?;
    let member = Membership { group_id, user_id, manager, added_by: proof.user_id() };
    insert_member(&mut tx, proof.target(), actor, member).await?;
    tx.commit().await?;
    Ok(())
}

/// Who is put in which group, as what, by whom.
#[derive(Clone, Copy, Debug)]
pub(super) struct Membership {
    pub group_id: i64,
    pub user_id: i64,
    pub manager: bool,
    pub added_by: i64,
}

/// [`add_member`] inside the caller's transaction.
pub(super) async fn insert_member(
    tx: &mut sqlx::AnyConnection,
    org: &OrganizationScope,
    actor: &Actor,
    member: Membership,
) -> Result<(), GroupError> {
    let name = name_in(tx, org, member.group_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO access_group_members (group_id, organization_id, user_id, manager, \
         added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(member.group_id)
    .bind(org.id)
    .bind(member.user_id)
    .bind(i32::from(member.manager))
    .bind(member.added_by)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(GroupError::AlreadyMember)
        }
        Err(e) => return Err(e.into()),
    }
    let details = json!({
        "operation": "add member",
        "member": user_target(tx, member.user_id).await?,
        "manager": member.manager,
    });
    record(tx, actor, org, (&name, Action::GroupsWrite), details).await?;
    Ok(())
}

/// Takes `user_id` out of group `group_id`: the roles the group holds end for them on their
/// next request.
pub async fn remove_member(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    (group_id, user_id): (i64, i64),
) -> Result<(), GroupError> {
    let org = org.target();
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, org.id).await?;
    let name = name_in(&mut tx, org, group_id).await?;
    let owned = super::group_changes::owned_through(&mut tx, org.id, group_id).await?;
    let removed = sqlx::query(
        "DELETE FROM access_group_members \
         WHERE group_id = $1 AND user_id = $2 AND organization_id = $3",
    )
    .bind(group_id)
    .bind(user_id)
    .bind(org.id)
    .execute(&mut *tx)
    .await?;
    if removed.rows_affected() == 0 {
        return Err(GroupError::NotMember);
    }
    // The last member out: the group's Owner assignments stop counting as owners.
    super::group_changes::owners_remain(&mut tx, org.id, &owned).await?;
    let details = json!({
        "operation": "remove member",
        "member": user_target(&mut tx, user_id).await?,
    });
    record(&mut tx, actor, org, (&name, Action::GroupsWrite), details).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives group `group_id` the role at the proof's scope, until `expires_at` (`None`: no end):
/// everyone in the group holds it.
pub async fn grant(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    group_id: i64,
    (role_name, expires_at): (&str, Option<i64>),
) -> Result<i64, ChangeError> {
    let target = scope.target();
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, target.organization().id).await?;
    let giving = (role_name, scope.user_id());
    let id = grant_in(&mut tx, actor, target, group_id, (giving, expires_at)).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`grant`] inside the caller's transaction: `giving` is (role, who gives it).
pub(super) async fn grant_in(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    target: &AnyScope,
    group_id: i64,
    (giving, expires_at): ((&str, i64), Option<i64>),
) -> Result<i64, ChangeError> {
    let name = match name_in(tx, target.organization(), group_id).await {
        Ok(name) => name,
        Err(GroupError::Database(e)) => return Err(e.into()),
        Err(_) => return Err(ChangeError::NotFound),
    };
    let principal = (None, Some(group_id));
    let id = role_assignments::insert(tx, target, principal, giving, expires_at).await?;
    let event = Event {
        action: Action::RoleAssignmentsWrite,
        place: target.place(),
        scope_path: &target.path().to_string(),
        target: &format!("group {name}"),
        details: json!({ "operation": "grant", "role": giving.0, "expires_at": expires_at }),
    };
    audit::record(tx, actor, event).await?;
    Ok(id)
}

/// A group as its organization's Groups page lists it.
#[derive(Clone, Debug)]
pub struct GroupRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Role assignments the group holds, at any scope of the organization.
    pub assignments: i64,
    pub members: Vec<GroupMember>,
}

#[derive(Clone, Debug)]
pub struct GroupMember {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub service_principal: bool,
    pub manager: bool,
}

/// Every group of the proof's organization with its members, by name then member name: one
/// statement.
pub async fn list(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
) -> Result<Vec<GroupRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.id, g.name, g.description, \
         (SELECT COUNT(*) FROM role_assignments a WHERE a.group_id = g.id) AS assignments, \
         u.id AS user_id, u.display_name, u.email, u.kind, m.manager \
         FROM access_groups g \
         LEFT JOIN access_group_members m ON m.group_id = g.id \
         LEFT JOIN users u ON u.id = m.user_id \
         WHERE g.organization_id = $1 \
         ORDER BY g.name_key, g.id, u.display_name, u.id",
    )
    .bind(org.target().id)
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<GroupRecord> = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        if groups.last().is_none_or(|g| g.id != id) {
            groups.push(GroupRecord {
                id,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                assignments: row.try_get("assignments")?,
                members: Vec::new(),
            });
        }
        // A group with no members comes as one row without a member.
        let Some(user_id) = row.try_get::<Option<i64>, _>("user_id")? else { continue };
        let member = GroupMember {
            user_id,
            display_name: row.try_get("display_name")?,
            email: row.try_get("email")?,
            service_principal: row.try_get::<String, _>("kind")? == "service_principal",
            manager: row.try_get::<i32, _>("manager")? != 0,
        };
        if let Some(group) = groups.last_mut() {
            group.members.push(member);
        }
    }
    Ok(groups)
}

/// The id of the organization's group called `name` (compared by key), if there is one. The
/// organization comes from a proof (of it, or of a scope inside it).
pub async fn named(
    pool: &Pool,
    org: &OrganizationScope,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM access_groups WHERE organization_id = $1 AND name_key = $2")
        .bind(org.id)
        .bind(role_key(name))
        .fetch_optional(pool)
        .await
}

/// The name of group `id` of the organization, if there is one.
pub async fn name_of(
    pool: &Pool,
    org: &OrganizationScope,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM access_groups WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org.id)
        .fetch_optional(pool)
        .await
}

/// Where group `group_id` of the organization holds which role (ended ones aside): what
/// putting someone in it hands out.
pub async fn assignments_of(
    pool: &Pool,
    org: &OrganizationScope,
    group_id: i64,
) -> Result<Vec<(crate::authz::ScopeRef, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT scope_kind, scope_id, role_name FROM role_assignments \
         WHERE group_id = $1 AND organization_id = $2 AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(group_id)
    .bind(org.id)
    .bind(now())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| Ok((role_assignments::scope_from_row(row)?, row.try_get("role_name")?)))
        .collect()
}

/// The people and service principals in group `group_id` of the organization `org`.
pub async fn member_ids(pool: &Pool, org: i64, group_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM access_group_members WHERE group_id = $1 AND organization_id = $2",
    )
    .bind(group_id)
    .bind(org)
    .fetch_all(pool)
    .await
}

/// The addresses of those in each of the organization's groups that hold a role, by group:
/// who holds a group's role through it, for those who may read the assignments at the proof's
/// scope (the page shows only the groups whose assignments apply there, as Check access
/// explains any one person's access there).
pub async fn holders_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
) -> Result<std::collections::HashMap<i64, Vec<String>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.group_id, u.email FROM access_group_members m \
         JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 AND u.deleted_at IS NULL AND m.group_id IN \
           (SELECT a.group_id FROM role_assignments a \
            WHERE a.organization_id = $1 AND a.group_id IS NOT NULL) \
         ORDER BY m.group_id, u.email",
    )
    .bind(scope.target().organization().id)
    .fetch_all(pool)
    .await?;
    let mut holders: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for row in rows {
        holders.entry(row.try_get("group_id")?).or_default().push(row.try_get("email")?);
    }
    Ok(holders)
}

/// Whether `user_id` manages group `group_id` of the organization (may change who is in it).
pub async fn is_manager(
    pool: &Pool,
    org: &OrganizationScope,
    group_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let managers: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_group_members \
         WHERE group_id = $1 AND organization_id = $2 AND user_id = $3 AND manager <> 0",
    )
    .bind(group_id)
    .bind(org.id)
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok(managers > 0)
}

/// The names of the organization's groups, by name: to pick one to give a role.
pub async fn names(pool: &Pool, org: &OrganizationScope) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM access_groups WHERE organization_id = $1 ORDER BY name_key",
    )
    .bind(org.id)
    .fetch_all(pool)
    .await
}
