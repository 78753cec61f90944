//! Organizations: the tenants.

use sqlx::Row;

use super::role_assignments;
use super::scopes::{organization_from_row, OrganizationScope};
use super::{now, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::ScopeRef;
use crate::domain::{OrganizationName, Slug};
use crate::server::authz::Authorized;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the slug is taken")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates an organization with its creator as Owner, in one transaction.
pub async fn create(
    pool: &Pool,
    creator: i64,
    name: &OrganizationName,
    slug: &Slug,
) -> Result<OrganizationScope, CreateError> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO organizations (name, slug, created_by, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(name.as_str())
    .bind(slug.as_str())
    .bind(creator)
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(CreateError::SlugTaken)
        }
        Err(e) => return Err(e.into()),
    };
    role_assignments::grant(&mut tx, id, creator, OWNER, ScopeRef::organization(id), creator)
        .await?;
    tx.commit().await?;
    Ok(OrganizationScope { id, slug: slug.as_str().to_owned(), name: name.as_str().to_owned() })
}

/// The organizations where `user_id` holds a role at any depth: the ones they belong to.
pub async fn of_member(pool: &Pool, user_id: i64) -> Result<Vec<OrganizationScope>, sqlx::Error> {
    sqlx::query(
        "SELECT id AS org_id, slug, name AS org_name FROM organizations \
         WHERE id IN (SELECT organization_id FROM role_assignments WHERE user_id = $1) \
         ORDER BY name",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(organization_from_row)
    .collect()
}

pub async fn rename(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    name: &OrganizationName,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organizations SET name = $1 WHERE id = $2")
        .bind(name.as_str())
        .bind(org.target().id)
        .execute(pool)
        .await?;
    Ok(())
}
