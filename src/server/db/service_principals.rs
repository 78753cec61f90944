//! Service principals: `users` rows of kind `service_principal` that belong to one organization.
//! They hold roles like people and act only through their tokens; their password hash matches
//! no password. Deleting one keeps its row (history still names it) but ends everything it
//! could do, in one transaction with its activity-log events.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::role_assignments::{lock_organization, scope_from_row};
use super::scopes::{self, OrganizationScope};
use super::{now, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::{Action, ScopeKind};
use crate::domain::service_principal::ServicePrincipalName;
use crate::domain::Email;
use crate::server::authz::proof::Authorized;

/// Stored as the password hash: not a PHC string, so no password ever verifies against it.
const NO_PASSWORD: &str = "!service-principal: signs in with tokens only";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePrincipal {
    pub id: i64,
    pub name: String,
    /// The address-shaped identity roles are given to.
    pub identity: String,
    pub created_at: i64,
}

/// A service principal as its organization's list shows it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub principal: ServicePrincipal,
    /// Role assignments it holds in the organization.
    pub roles: i64,
    /// Tokens that still work.
    pub active_tokens: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the organization has a service principal of that name")]
    NameTaken,
    #[error("no such service principal")]
    NotFound,
    /// It is the last Owner of the organization or of a workspace.
    #[error("the service principal is the last Owner of {0}")]
    LastOwner(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

const COLUMNS: &str = "u.id, u.display_name, u.email, u.created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ServicePrincipal, sqlx::Error> {
    Ok(ServicePrincipal {
        id: row.try_get("id")?,
        name: row.try_get("display_name")?,
        identity: row.try_get("email")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Creates a service principal in the organization, known by `identity`.
pub async fn create(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    name: &ServicePrincipalName,
    identity: &Email,
) -> Result<ServicePrincipal, ChangeError> {
    let target = org.target();
    let created_at = now();
    let mut tx = super::begin(pool).await?;
    let inserted = sqlx::query(
        "INSERT INTO users (email, email_key, display_name, password_hash, is_instance_admin, \
         created_at, kind, organization_id) \
         VALUES ($1, $2, $3, $4, 0, $5, 'service_principal', $6) RETURNING id",
    )
    .bind(identity.as_str())
    .bind(identity.key())
    .bind(name.as_str())
    .bind(NO_PASSWORD)
    .bind(created_at)
    .bind(target.id)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        // The identity is unique among live accounts; it holds the name and the organization.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ChangeError::NameTaken)
        }
        Err(e) => return Err(e.into()),
    };
    let principal = ServicePrincipal {
        id,
        name: name.as_str().to_owned(),
        identity: identity.as_str().to_owned(),
        created_at,
    };
    let event = Event {
        action: Action::RoleAssignmentsWrite,
        place: target.place(),
        scope_path: &target.path(),
        target: &principal.label(),
        details: json!({ "operation": "create service principal" }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(principal)
}

impl ServicePrincipal {
    /// "name <identity>", as the activity log names the people it is about.
    pub fn label(&self) -> String {
        format!("{} <{}>", self.name, self.identity)
    }
}

/// The organization's service principals by name, with how many roles and live tokens each has.
pub async fn list(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
) -> Result<Vec<Listed>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, \
         (SELECT COUNT(*) FROM role_assignments a WHERE a.user_id = u.id) AS roles, \
         (SELECT COUNT(*) FROM access_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL \
            AND (t.expires_at IS NULL OR t.expires_at > $2)) AS active_tokens \
         FROM users u \
         WHERE u.organization_id = $1 AND u.kind = 'service_principal' AND u.deleted_at IS NULL \
         ORDER BY u.email_key"
    ))
    .bind(org.target().id)
    .bind(now())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Listed {
                principal: from_row(row)?,
                roles: row.try_get("roles")?,
                active_tokens: row.try_get("active_tokens")?,
            })
        })
        .collect()
}

/// The organization's live service principal known by `identity`.
pub async fn find(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    identity: &Email,
) -> Result<Option<ServicePrincipal>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users u \
         WHERE u.email_key = $1 AND u.organization_id = $2 AND u.kind = 'service_principal' \
           AND u.deleted_at IS NULL"
    ))
    .bind(identity.key())
    .bind(org.target().id)
    .fetch_optional(pool)
    .await?
    .map(|row| from_row(&row))
    .transpose()
}

/// Deletes a service principal: its role assignments go (each with its event, as if removed on
/// its Access control page), its tokens are revoked, and it can no longer be found or given
/// roles. Refused when that would leave the organization or a workspace without an Owner.
pub async fn delete(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    principal: &ServicePrincipal,
) -> Result<(), ChangeError> {
    let target = org.target();
    let at = now();
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, target.id).await?;
    let held = sqlx::query(
        "SELECT id, role_name, scope_kind, scope_id FROM role_assignments WHERE user_id = $1",
    )
    .bind(principal.id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM role_assignments WHERE user_id = $1")
        .bind(principal.id)
        .execute(&mut *tx)
        .await?;
    let mut removed = Vec::new();
    for row in &held {
        let role: String = row.try_get("role_name")?;
        let scope = scope_from_row(row)?;
        // A deleted workspace resolves to nothing: its assignments go without an event there.
        let Some(place) = scopes::by_ref_in(&mut tx, target.id, scope).await? else {
            continue;
        };
        if role.eq_ignore_ascii_case(OWNER) && scope.kind != ScopeKind::ResourceGroup {
            let owners: i64 = sqlx::query_scalar(super::role_assignments::LASTING_OWNERS)
                .bind(target.id)
                .bind(scope.kind.as_str())
                .bind(scope.id)
                .bind(OWNER)
                .fetch_one(&mut *tx)
                .await?;
            if owners == 0 {
                return Err(ChangeError::LastOwner(place.path().label()));
            }
        }
        let event = Event {
            action: Action::RoleAssignmentsDelete,
            place: place.place(),
            scope_path: &place.path().to_string(),
            target: &principal.label(),
            details: json!({ "operation": "remove", "role": role }),
        };
        audit::record(&mut tx, actor, event).await?;
        removed.push(format!("{role} at {}", place.path()));
    }
    let left_groups = leave_groups(&mut tx, target, principal.id).await?;
    let revoked = sqlx::query(
        "UPDATE access_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(principal.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let deleted = sqlx::query(
        "UPDATE users SET deleted_at = $1 WHERE id = $2 AND organization_id = $3 \
         AND kind = 'service_principal' AND deleted_at IS NULL",
    )
    .bind(at)
    .bind(principal.id)
    .bind(target.id)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() != 1 {
        return Err(ChangeError::NotFound);
    }
    let event = Event {
        action: Action::RoleAssignmentsDelete,
        place: target.place(),
        scope_path: &target.path(),
        target: &principal.label(),
        details: json!({
            "operation": "delete service principal",
            "roles_removed": removed,
            "groups_left": left_groups,
            "tokens_revoked": revoked,
        }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a service principal being deleted out of every group it is in, refusing when one of
/// those groups would be left empty as the last Owner somewhere. Returns the groups' names.
async fn leave_groups(
    tx: &mut sqlx::AnyConnection,
    org: &OrganizationScope,
    user_id: i64,
) -> Result<Vec<String>, ChangeError> {
    use super::group_changes::{owned_through, owners_remain};
    use super::groups::GroupError;
    let groups = sqlx::query(
        "SELECT g.id, g.name FROM access_group_members m JOIN access_groups g ON g.id = m.group_id \
         WHERE m.user_id = $1 AND m.organization_id = $2 ORDER BY g.name_key",
    )
    .bind(user_id)
    .bind(org.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut owned = Vec::new();
    let mut names = Vec::new();
    for group in &groups {
        owned.extend(owned_through(tx, org.id, group.try_get("id")?).await?);
        names.push(group.try_get::<String, _>("name")?);
    }
    sqlx::query("DELETE FROM access_group_members WHERE user_id = $1 AND organization_id = $2")
        .bind(user_id)
        .bind(org.id)
        .execute(&mut *tx)
        .await?;
    owners_remain(tx, org.id, &owned).await.map_err(|e| match e {
        GroupError::LastOwner(path) => ChangeError::LastOwner(path),
        GroupError::Database(e) => ChangeError::Database(e),
        other => ChangeError::Database(sqlx::Error::Protocol(other.to_string())),
    })?;
    Ok(names)
}
