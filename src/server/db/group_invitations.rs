//! Invitations to join a group (issue 17): made at the group's organization, they offer a place
//! in the group and no role of their own; accepting makes the invitee a member of the group,
//! and through it of the organization. Deleting the group revokes those still pending.

use serde_json::json;
use sqlx::Row;

use super::audit::Actor;
use super::groups::{self, GroupError, Membership};
use super::invitations::{self, AcceptError, Invitation, InvitationRow, Outcome, Prepared};
use super::outbox;
use super::role_assignments::lock_organization;
use super::scopes::{AnyScope, OrganizationScope};
use super::Pool;
use crate::authz::Action;
use crate::server::authz::proof::Authorized;

/// Writes a batch of invitations to group `group_id` of the proof's organization in one
/// transaction: each address gets one, or the reason it does not (already in the group,
/// already invited to it). The message and when the links expire are the batch's.
pub async fn create_batch(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    actor: &Actor,
    group_id: i64,
    (message, expires_at): (&str, i64),
    batch: Vec<Prepared>,
    now: i64,
) -> Result<Vec<(String, Outcome)>, GroupError> {
    let target = org.target();
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, target.id).await?;
    let name = groups::name_in(&mut tx, target, group_id).await?;
    let mut outcomes = Vec::new();
    for prepared in batch {
        if in_group(&mut tx, group_id, &prepared.email).await? {
            outcomes.push((prepared.email, Outcome::AlreadyHasRole));
            continue;
        }
        let address = (target.id, prepared.email.as_str());
        if invitations::already_invited(&mut tx, address, (None, Some(group_id)), now).await? {
            outcomes.push((prepared.email, Outcome::AlreadyInvited));
            continue;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO invitations (organization_id, scope_kind, scope_id, email, group_id, \
             group_name, message, token_hash, state, invited_by, created_at, sent_at, \
             expires_at) VALUES ($1, 'organization', $1, $2, $3, $4, $5, $6, 'pending', $7, \
             $8, $8, $9) RETURNING id",
        )
        .bind(target.id)
        .bind(&prepared.email)
        .bind(group_id)
        .bind(&name)
        .bind(message)
        .bind(&prepared.token_hash)
        .bind(org.user_id())
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        invitations::queue_mail(&mut tx, (target.id, id), &prepared.email, &prepared, now).await?;
        let details =
            json!({ "operation": "invite", "email": prepared.email, "expires_at": expires_at });
        groups::record(&mut tx, actor, target, (&name, Action::GroupsWrite), details).await?;
        outcomes.push((prepared.email, Outcome::Invited));
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Whether the account with address `email` (lower-cased) is in group `group_id`.
async fn in_group(
    tx: &mut sqlx::AnyConnection,
    group_id: i64,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_group_members m JOIN users u ON u.id = m.user_id \
         WHERE m.group_id = $1 AND u.email_key = $2",
    )
    .bind(group_id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await?;
    Ok(found > 0)
}

/// Whether group `id` still exists (`None`: it was deleted).
pub async fn group_exists<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let Some(id) = id else { return Ok(false) };
    let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_groups WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await?;
    Ok(found > 0)
}

/// The accepting part of a group invitation, inside its transaction (the invitation claimed,
/// the organization locked): the invitee joins the group, as put there by the inviter, unless
/// they are in it already. A group deleted meanwhile fails it all.
pub(super) async fn join(
    tx: &mut sqlx::AnyConnection,
    invitation: &Invitation,
    (org, actor): (&OrganizationScope, &Actor),
    (group_id, user_id): (i64, i64),
) -> Result<(), AcceptError> {
    // Checked first: on PostgreSQL a failed insert would abort the whole transaction.
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_group_members WHERE group_id = $1 AND user_id = $2",
    )
    .bind(group_id)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    if already == 0 {
        let member =
            Membership { group_id, user_id, manager: false, added_by: invitation.invited_by };
        groups::insert_member(tx, org, actor, member).await.map_err(|e| match e {
            GroupError::Database(e) => AcceptError::Database(e),
            _ => AcceptError::GroupGone,
        })?;
    }
    Ok(())
}

/// The pending invitations to the proof's organization's groups, with their group's id,
/// newest first.
pub async fn pending_in_groups(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
) -> Result<Vec<(i64, InvitationRow)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {} {} WHERE i.organization_id = $1 AND i.group_id IS NOT NULL \
         AND i.state = 'pending' ORDER BY i.id DESC",
        invitations::ROW_COLUMNS,
        invitations::ROW_JOINS,
    ))
    .bind(org.target().id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("group_id")?, invitations::invitation_row(row)?)))
        .collect()
}

/// Revokes the pending invitations to group `group_id` (which is being deleted), inside the
/// deletion's transaction: their links stop working and say why, their unsent mail is
/// dropped, and each is in the activity log.
pub(super) async fn revoke_for_deleted_group(
    tx: &mut sqlx::AnyConnection,
    org: &OrganizationScope,
    actor: &Actor,
    group_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let pending = sqlx::query(
        "SELECT id, email FROM invitations WHERE organization_id = $1 AND group_id = $2 \
         AND state = 'pending'",
    )
    .bind(org.id)
    .bind(group_id)
    .fetch_all(&mut *tx)
    .await?;
    let scope = AnyScope::Organization(org.clone());
    for row in &pending {
        let (id, email): (i64, String) = (row.try_get("id")?, row.try_get("email")?);
        sqlx::query(
            "UPDATE invitations SET state = 'revoked', closed_at = $1, closed_by = $2 \
             WHERE id = $3",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        outbox::discard_unsent(tx, id).await?;
        let details = json!({ "event": "revoked", "reason": "group deleted" });
        invitations::record(tx, actor, &scope, Action::InvitationsDelete, &email, details).await?;
    }
    Ok(())
}

/// A renamed group's invitations name it as it is called now.
pub(super) async fn follow_rename(
    tx: &mut sqlx::AnyConnection,
    group_id: i64,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invitations SET group_name = $1 WHERE group_id = $2")
        .bind(name)
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
