//! Organizations: the tenants.

use serde_json::json;

use super::audit::{self, Actor, Event};
use super::role_assignments;
use super::scopes::{organization_from_row, AnyScope, OrganizationScope};
use super::{now, Pool};
use crate::authz::builtin::OWNER;
use crate::authz::Action;
use crate::domain::{OrganizationName, Slug};
use crate::server::authz::proof::Authorized;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the slug is taken")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Assignment(#[from] role_assignments::ChangeError),
}

/// Creates an organization with its creator as Owner, in one transaction.
pub async fn create(
    pool: &Pool,
    actor: &Actor,
    creator: i64,
    name: &OrganizationName,
    slug: &Slug,
) -> Result<OrganizationScope, CreateError> {
    let mut tx = super::begin(pool).await?;
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
    let id = super::inserted_id(inserted, CreateError::SlugTaken)?;
    let org =
        OrganizationScope { id, slug: slug.as_str().to_owned(), name: name.as_str().to_owned() };
    let event = Event {
        action: Action::OrganizationsWrite,
        place: org.place(),
        scope_path: &org.path(),
        target: slug.as_str(),
        details: json!({ "operation": "create", "name": name.as_str() }),
    };
    audit::record(&mut tx, actor, event).await?;
    role_assignments::grant(&mut tx, actor, &AnyScope::Organization(org.clone()), creator, OWNER)
        .await?;
    tx.commit().await?;
    Ok(org)
}

/// The organizations where `user_id` holds a role at any depth: the ones they belong to.
pub async fn of_member(pool: &Pool, user_id: i64) -> Result<Vec<OrganizationScope>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT id AS org_id, slug, name AS org_name FROM organizations WHERE id IN ",
        role_assignments::organizations_of_user!(),
        " ORDER BY name",
    ))
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
    actor: &Actor,
    name: &OrganizationName,
) -> Result<(), sqlx::Error> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    sqlx::query("UPDATE organizations SET name = $1 WHERE id = $2")
        .bind(name.as_str())
        .bind(target.id)
        .execute(&mut *tx)
        .await?;
    let event = Event {
        action: Action::OrganizationsWrite,
        place: target.place(),
        scope_path: &target.path(),
        target: &target.slug,
        details: json!({ "operation": "rename", "before": target.name, "after": name.as_str() }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await
}
