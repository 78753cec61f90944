//! Who holds which role at which scope.

use sqlx::Row;

use super::{now, Pool};
use crate::authz::{ScopeKind, ScopeRef};

#[derive(Clone, Debug)]
pub struct Assignment {
    pub role_name: String,
    pub scope: ScopeRef,
}

/// All of a person's assignments inside one organization (at any depth).
pub async fn for_user_in_organization(
    pool: &Pool,
    user_id: i64,
    organization_id: i64,
) -> Result<Vec<Assignment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT role_name, scope_kind, scope_id FROM role_assignments \
         WHERE user_id = $1 AND organization_id = $2",
    )
    .bind(user_id)
    .bind(organization_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("scope_kind")?;
            let kind = ScopeKind::from_db(&kind).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown scope kind {kind:?}").into())
            })?;
            Ok(Assignment {
                role_name: row.try_get("role_name")?,
                scope: ScopeRef { kind, id: row.try_get("scope_id")? },
            })
        })
        .collect()
}

/// Records an assignment inside the caller's transaction (creating a scope makes its creator
/// Owner in the same commit).
pub async fn grant(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
    role_name: &str,
    scope: ScopeRef,
    granted_by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO role_assignments \
         (organization_id, user_id, role_name, scope_kind, scope_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(role_name)
    .bind(scope.kind.as_str())
    .bind(scope.id)
    .bind(granted_by)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Removes every assignment at a scope that is being purged.
pub async fn remove_at_scope(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    scope: ScopeRef,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM role_assignments WHERE organization_id = $1 AND scope_kind = $2 AND scope_id = $3",
    )
    .bind(organization_id)
    .bind(scope.kind.as_str())
    .bind(scope.id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
