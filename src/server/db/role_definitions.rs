//! Custom role definitions, owned by an organization.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::scopes::OrganizationScope;
use super::{now, Pool};
use crate::authz::{Action, RoleDefinition};
use crate::domain::{role_key, ScopePath};
use crate::server::authz::proof::Authorized;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("a role with this name exists")]
    NameTaken,
    #[error("the role is assigned")]
    Assigned(Vec<String>),
    #[error("no such role")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn list_of(row: &sqlx::any::AnyRow, column: &str) -> Result<Vec<String>, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(e.into()))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<RoleDefinition, sqlx::Error> {
    Ok(RoleDefinition {
        name: row.try_get("name")?,
        is_custom: true,
        description: row.try_get("description")?,
        actions: list_of(row, "actions")?,
        not_actions: list_of(row, "not_actions")?,
        assignable_scopes: list_of(row, "assignable_scopes")?,
    })
}

/// Every custom role of an organization, by name.
pub async fn for_organization(
    pool: &Pool,
    organization_id: i64,
) -> Result<Vec<RoleDefinition>, sqlx::Error> {
    sqlx::query(
        "SELECT name, description, actions, not_actions, assignable_scopes FROM role_definitions \
         WHERE organization_id = $1 ORDER BY name_key",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

fn event<'a>(
    org: &'a OrganizationScope,
    path: &'a str,
    action: Action,
    name: &'a str,
    details: serde_json::Value,
) -> Event<'a> {
    Event { action, place: org.place(), scope_path: path, target: name, details }
}

/// Creates a role (`original` = None) or replaces the role named `original`, renaming its
/// assignments with it, in one transaction.
pub async fn save(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    original: Option<&str>,
    role: &RoleDefinition,
) -> Result<(), ChangeError> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    let at = now();
    let lists = (
        json!(role.actions).to_string(),
        json!(role.not_actions).to_string(),
        json!(role.assignable_scopes).to_string(),
    );
    let written = match original {
        None => sqlx::query(
            "INSERT INTO role_definitions (organization_id, name, name_key, description, actions, \
             not_actions, assignable_scopes, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(target.id)
        .bind(&role.name)
        .bind(role_key(&role.name))
        .bind(&role.description)
        .bind(&lists.0)
        .bind(&lists.1)
        .bind(&lists.2)
        .bind(org.user_id())
        .bind(at)
        .execute(&mut *tx)
        .await,
        Some(original) => sqlx::query(
            "UPDATE role_definitions SET name = $1, name_key = $2, description = $3, actions = $4, \
             not_actions = $5, assignable_scopes = $6, updated_at = $7 \
             WHERE organization_id = $8 AND name_key = $9",
        )
        .bind(&role.name)
        .bind(role_key(&role.name))
        .bind(&role.description)
        .bind(&lists.0)
        .bind(&lists.1)
        .bind(&lists.2)
        .bind(at)
        .bind(target.id)
        .bind(role_key(original))
        .execute(&mut *tx)
        .await,
    };
    match written {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => return Err(ChangeError::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ChangeError::NameTaken)
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(original) = original {
        // Assignments follow the role by key, whatever spelling `original` was given in.
        sqlx::query(
            "UPDATE role_assignments SET role_name = $1, role_key = $2 \
             WHERE organization_id = $3 AND role_key = $4",
        )
        .bind(&role.name)
        .bind(role_key(&role.name))
        .bind(target.id)
        .bind(role_key(original))
        .execute(&mut *tx)
        .await?;
        rename_in_invitations(&mut tx, target.id, original, &role.name).await?;
    }
    let details = json!({ "operation": if original.is_some() { "update" } else { "create" }, "definition": role });
    audit::record(
        &mut tx,
        actor,
        event(target, &target.path(), Action::RoleDefinitionsWrite, &role.name, details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Pending invitations offer a role by name: they follow a rename too. Invitations keep no
/// key, so their few distinct names are compared here.
async fn rename_in_invitations(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    original: &str,
    new_name: &str,
) -> Result<(), sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT role_name FROM invitations WHERE organization_id = $1 \
         AND state = 'pending' AND role_name IS NOT NULL",
    )
    .bind(organization_id)
    .fetch_all(&mut *tx)
    .await?;
    let key = role_key(original);
    for name in names.into_iter().filter(|n| role_key(n) == key) {
        sqlx::query(
            "UPDATE invitations SET role_name = $1 WHERE organization_id = $2 \
             AND state = 'pending' AND role_name = $3",
        )
        .bind(new_name)
        .bind(organization_id)
        .bind(&name)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Creates `role` in the organization inside the caller's transaction, unless a role of that
/// name exists there already (then that one stays as it is).
pub async fn insert_if_missing(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    org: &OrganizationScope,
    role: &RoleDefinition,
) -> Result<(), sqlx::Error> {
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO role_definitions (organization_id, name, name_key, description, actions, \
         not_actions, assignable_scopes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (organization_id, name_key) DO NOTHING",
    )
    .bind(org.id)
    .bind(&role.name)
    .bind(role_key(&role.name))
    .bind(&role.description)
    .bind(json!(role.actions).to_string())
    .bind(json!(role.not_actions).to_string())
    .bind(json!(role.assignable_scopes).to_string())
    .bind(actor.user_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 1 {
        let details = json!({ "operation": "create", "definition": role });
        audit::record(
            tx,
            actor,
            event(org, &org.path(), Action::RoleDefinitionsWrite, &role.name, details),
        )
        .await?;
    }
    Ok(())
}

/// Deletes a custom role nobody holds; while it is assigned, says to whom and where.
pub async fn delete(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    name: &str,
) -> Result<(), ChangeError> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    let holders = sqlx::query(
        "SELECT COALESCE(u.email, 'group ' || ag.name) AS holder, o.slug, g.name AS rg_name, \
         w.name AS ws_name, wg.name AS ws_rg_name \
         FROM role_assignments a LEFT JOIN users u ON u.id = a.user_id \
         LEFT JOIN access_groups ag ON ag.id = a.group_id \
         JOIN organizations o ON o.id = a.organization_id \
         LEFT JOIN resource_groups g ON a.scope_kind = 'resource_group' AND g.id = a.scope_id \
         LEFT JOIN workspaces w ON a.scope_kind = 'workspace' AND w.id = a.scope_id \
         LEFT JOIN resource_groups wg ON wg.id = w.resource_group_id \
         WHERE a.organization_id = $1 AND a.role_key = $2 ORDER BY holder",
    )
    .bind(target.id)
    .bind(role_key(name))
    .fetch_all(&mut *tx)
    .await?;
    if !holders.is_empty() {
        let list = holders
            .iter()
            .map(|r| {
                let org: String = r.try_get("slug")?;
                let path = match (
                    r.try_get::<Option<String>, _>("rg_name")?,
                    r.try_get::<Option<String>, _>("ws_name")?,
                    r.try_get::<Option<String>, _>("ws_rg_name")?,
                ) {
                    (Some(group), _, _) => ScopePath::ResourceGroup { org, group },
                    (None, Some(workspace), Some(group)) => {
                        ScopePath::Workspace { org, group, workspace }
                    }
                    _ => ScopePath::Organization { org },
                };
                Ok(format!("{} at {}", r.try_get::<String, _>("holder")?, path))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        return Err(ChangeError::Assigned(list));
    }
    let deleted =
        sqlx::query("DELETE FROM role_definitions WHERE organization_id = $1 AND name_key = $2")
            .bind(target.id)
            .bind(role_key(name))
            .execute(&mut *tx)
            .await?;
    if deleted.rows_affected() == 0 {
        return Err(ChangeError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        event(target, &target.path(), Action::RoleDefinitionsDelete, name, json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
