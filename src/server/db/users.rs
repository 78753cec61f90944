//! People with accounts on this instance.

use super::{now, Pool};
use crate::domain::{Email, PersonName};
use sqlx::Row;

#[derive(Clone)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_instance_admin: bool,
    /// The organization a service principal belongs to; `None` for people.
    pub service_principal_of: Option<i64>,
    /// Whether the address was confirmed (see `addresses`) when the record was read.
    pub email_confirmed: bool,
}

/// The password hash stays out of logs.
impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("is_instance_admin", &self.is_instance_admin)
            .field("service_principal_of", &self.service_principal_of)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this email exists")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates an account. The first account on the instance becomes its admin: the claim is one
/// conditional UPDATE, so two simultaneous first sign-ups cannot both win.
pub async fn create(
    pool: &Pool,
    email: &Email,
    name: &PersonName,
    password_hash: &str,
) -> Result<UserRecord, CreateUserError> {
    create_account(pool, email, name, password_hash, AdminClaim::IfFirst).await
}

/// Whether a new account may become the instance's admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminClaim {
    /// The first account to sign up does.
    IfFirst,
    /// Never (the demo account: the admin is whoever signs up first).
    Never,
}

pub async fn create_account(
    pool: &Pool,
    email: &Email,
    name: &PersonName,
    password_hash: &str,
    claim: AdminClaim,
) -> Result<UserRecord, CreateUserError> {
    let mut tx = super::begin(pool).await?;
    let claimed = claim == AdminClaim::IfFirst
        && sqlx::query(
            "UPDATE instance_settings SET admin_claimed = 1 WHERE id = 1 AND admin_claimed = 0",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
    let inserted = sqlx::query(
        "INSERT INTO users (email, email_key, display_name, password_hash, is_instance_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(email.as_str())
    .bind(email.key())
    .bind(name.as_str())
    .bind(password_hash)
    .bind(i32::from(claimed))
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id = super::inserted_id(inserted, CreateUserError::EmailTaken)?;
    tx.commit().await?;
    Ok(UserRecord {
        id,
        email: email.as_str().to_owned(),
        display_name: name.as_str().to_owned(),
        password_hash: password_hash.to_owned(),
        is_instance_admin: claimed,
        service_principal_of: None,
        email_confirmed: false,
    })
}

/// The live account (person or service principal) with this address; deleted service
/// principals and disabled accounts are no one. Of several accounts claiming an unconfirmed
/// address (see `addresses`), the one that confirmed it, else the newest claimant.
pub async fn find_by_email(pool: &Pool, email: &Email) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id, email, display_name, password_hash, is_instance_admin, kind, organization_id \
         AS home_organization_id, email_verified_at FROM users \
         WHERE email_key = $1 AND deleted_at IS NULL AND disabled_at IS NULL \
         ORDER BY (CASE WHEN email_verified_at IS NULL THEN 1 ELSE 0 END), id DESC LIMIT 1",
    )
    .bind(email.key())
    .fetch_optional(pool)
    .await?
    .map(|row| from_row(&row))
    .transpose()
}

/// The account with this id, unless an administrator disabled it (its sessions then end).
pub async fn find_by_id(pool: &Pool, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT id, email, display_name, password_hash, is_instance_admin, kind, organization_id \
         AS home_organization_id, email_verified_at FROM users \
         WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .map(|row| from_row(&row))
    .transpose()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    from_row_with_id(row, "id")
}

/// A user from a row that names its id `id_column` (joins name theirs) and has the columns
/// `email, display_name, password_hash, is_instance_admin, kind, home_organization_id,
/// email_verified_at`.
pub(super) fn from_row_with_id(
    row: &sqlx::any::AnyRow,
    id_column: &str,
) -> Result<UserRecord, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let home: Option<i64> = row.try_get("home_organization_id")?;
    Ok(UserRecord {
        id: row.try_get(id_column)?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        is_instance_admin: row.try_get::<i32, _>("is_instance_admin")? != 0,
        service_principal_of: home.filter(|_| kind == "service_principal"),
        email_confirmed: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
    })
}

/// Whether the account confirmed its address (see `addresses`).
pub async fn email_verified(pool: &Pool, user_id: i64) -> Result<bool, sqlx::Error> {
    let at: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok(at.is_some())
}
