//! An organization's members: the people who hold a role somewhere in it (an assignment that
//! has not ended), and its service principals. Only members can be named by email when giving
//! or explaining roles; anyone else is reached by invitation, so that no one learns from
//! Atelier whether an address has an account on the instance, or puts a person into their
//! organization without that person's consent.

use sqlx::Row;

use super::{now, Pool};
use crate::domain::Email;

#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub service_principal: bool,
}

const MEMBERS: &str = "SELECT u.id, u.display_name, u.email, u.kind FROM users u \
     WHERE u.deleted_at IS NULL AND (u.id IN \
       (SELECT user_id FROM role_assignments WHERE organization_id = $1 \
        AND (expires_at IS NULL OR expires_at > $2)) \
       OR u.id IN (SELECT user_id FROM access_group_members WHERE organization_id = $1) \
       OR (u.kind = 'service_principal' AND u.organization_id = $1))";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Member, sqlx::Error> {
    Ok(Member {
        user_id: row.try_get("id")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        service_principal: row.try_get::<String, _>("kind")? == "service_principal",
    })
}

/// Everyone who can be picked: people first, then service principals, by name.
pub async fn members(pool: &Pool, organization_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query(&format!("{MEMBERS} ORDER BY u.kind, u.display_name"))
        .bind(organization_id)
        .bind(now())
        .fetch_all(pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// The member with this address, if there is one; an address outside the organization is
/// `None` whether or not it has an account.
pub async fn member_by_email(
    pool: &Pool,
    organization_id: i64,
    email: &Email,
) -> Result<Option<Member>, sqlx::Error> {
    one_by_email(pool, organization_id, email, "").await
}

/// The member with this address who may be given a role by email: a person whose address is
/// confirmed, or a service principal. Until a person proves they read mail at their address,
/// anyone could have signed up with it (and joined through a link an inviter copied), so what
/// is given to the address goes by invitation, which only its reader can accept.
pub async fn grantee_by_email(
    pool: &Pool,
    organization_id: i64,
    email: &Email,
) -> Result<Option<Member>, sqlx::Error> {
    const PROVEN: &str = " AND (u.email_verified_at IS NOT NULL OR u.kind = 'service_principal')";
    one_by_email(pool, organization_id, email, PROVEN).await
}

/// One account by address, then whether it belongs: the database finds the address first and
/// looks at that account's own assignments, so the answer takes as long whether or not anyone
/// has the address. (Through [`MEMBERS`]' `IN`, it read the whole organization's assignments
/// only when someone had the address: 10 ms more in an organization of 20,000, enough to tell.)
const MEMBER_BY_EMAIL: &str = "SELECT u.id, u.display_name, u.email, u.kind FROM users u \
     WHERE u.email_key = $3 AND u.deleted_at IS NULL AND (EXISTS \
       (SELECT 1 FROM role_assignments a WHERE a.user_id = u.id AND a.organization_id = $1 \
        AND (a.expires_at IS NULL OR a.expires_at > $2)) \
       OR EXISTS (SELECT 1 FROM access_group_members m \
        WHERE m.user_id = u.id AND m.organization_id = $1) \
       OR (u.kind = 'service_principal' AND u.organization_id = $1))";

async fn one_by_email(
    pool: &Pool,
    organization_id: i64,
    email: &Email,
    condition: &str,
) -> Result<Option<Member>, sqlx::Error> {
    sqlx::query(&format!("{MEMBER_BY_EMAIL}{condition}"))
        .bind(organization_id)
        .bind(now())
        .bind(email.key())
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}
