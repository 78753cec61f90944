//! Invitations: a role at a scope, or a place in a group, offered to an email address
//! (DESIGN.md §4). Every change is one transaction with its activity-log event and, where mail
//! goes out, its outbox message. What is particular to group invitations is in
//! `group_invitations`.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event};
use super::outbox::{self, NewMail};
use super::role_assignments::{self, lock_organization, scope_from_row, ChangeError};
use super::scopes::AnyScope;
use super::Pool;
use crate::authz::{Action, ScopeRef};
use crate::server::authz::proof::Authorized;

/// One address of a batch, ready to be written: its token's hash and its sealed message.
pub struct Prepared {
    /// Lower-cased.
    pub email: String,
    pub token_hash: String,
    pub subject: String,
    pub sealed_body: String,
    pub sealed_link: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Invited,
    /// Already holds the role offered here (or is already in the group offered).
    AlreadyHasRole,
    AlreadyInvited,
}

/// What an invitation offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Offering {
    /// A role at the invitation's scope.
    Role(String),
    /// A place in a group of the invitation's organization (its scope). `id` is `None` once
    /// the group is deleted; its name stays, to say which group it was.
    Group { id: Option<i64>, name: String },
}

impl Offering {
    pub fn role(&self) -> Option<&str> {
        match self {
            Self::Role(role) => Some(role),
            Self::Group { .. } => None,
        }
    }
}

fn offering(row: &sqlx::any::AnyRow) -> Result<Offering, sqlx::Error> {
    Ok(match row.try_get::<Option<String>, _>("role_name")? {
        Some(role) => Offering::Role(role),
        None => Offering::Group {
            id: row.try_get("group_id")?,
            name: row.try_get::<Option<String>, _>("group_name")?.unwrap_or_default(),
        },
    })
}

pub struct Offer<'a> {
    pub role_name: &'a str,
    pub message: &'a str,
    pub access_expires_at: Option<i64>,
    pub expires_at: i64,
}

/// An invitation as the scope's Access control page lists it.
#[derive(Clone, Debug)]
pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub offering: Offering,
    pub state: String,
    pub inviter_name: String,
    pub invited_by: i64,
    pub access_expires_at: Option<i64>,
    pub sent_at: i64,
    pub expires_at: i64,
    pub scope: ScopeRef,
    /// The newest message's state, attempts and last error; `None` when no mail was queued.
    pub delivery: Option<(String, i64, String)>,
}

/// An invitation as its link (or the invitee's inbox) finds it.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: i64,
    pub organization_id: i64,
    pub scope: ScopeRef,
    pub email: String,
    pub offering: Offering,
    pub message: String,
    pub state: String,
    pub inviter_name: String,
    pub invited_by: i64,
    pub access_expires_at: Option<i64>,
    pub expires_at: i64,
    /// Which link it was read through: accepting checks it is still the current one.
    pub token_hash: String,
}

impl Invitation {
    pub fn is_pending_at(&self, now: i64) -> bool {
        self.state == "pending" && self.expires_at > now
    }
}

pub(super) fn target(email: &str) -> String {
    format!("invitation to {email}")
}

/// The activity-log event of a change to the invitation to `email` at `scope`.
pub(super) async fn record(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    scope: &AnyScope,
    action: Action,
    email: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let event = Event {
        action,
        place: scope.place(),
        scope_path: &scope.path().to_string(),
        target: &target(email),
        details,
    };
    audit::record(tx, actor, event).await
}

/// Writes a batch of invitations at the proof's scope in one transaction: each address gets an
/// invitation, or the reason it does not (already holds the role here, already invited).
pub async fn create_batch(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    offer: &Offer<'_>,
    batch: Vec<Prepared>,
    now: i64,
) -> Result<Vec<(String, Outcome)>, sqlx::Error> {
    let target_scope = scope.target();
    let here = target_scope.scope_ref();
    let org = target_scope.organization().id;
    let mut tx = super::begin(pool).await?;
    lock_organization(&mut tx, org).await?;
    let mut outcomes = Vec::new();
    for prepared in batch {
        let holds: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM role_assignments a JOIN users u ON u.id = a.user_id \
             WHERE a.organization_id = $1 AND a.scope_kind = $2 AND a.scope_id = $3 \
             AND u.email_key = $4 AND LOWER(a.role_name) = LOWER($5) \
             AND (a.expires_at IS NULL OR a.expires_at > $6)",
        )
        .bind(org)
        .bind(here.kind.as_str())
        .bind(here.id)
        .bind(&prepared.email)
        .bind(offer.role_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if holds > 0 {
            outcomes.push((prepared.email, Outcome::AlreadyHasRole));
            continue;
        }
        if already_invited(&mut tx, (org, &prepared.email), (Some(here), None), now).await? {
            outcomes.push((prepared.email, Outcome::AlreadyInvited));
            continue;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO invitations (organization_id, scope_kind, scope_id, email, role_name, \
             message, access_expires_at, token_hash, state, invited_by, created_at, sent_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $10, $11) \
             RETURNING id",
        )
        .bind(org)
        .bind(here.kind.as_str())
        .bind(here.id)
        .bind(&prepared.email)
        .bind(offer.role_name)
        .bind(offer.message)
        .bind(offer.access_expires_at)
        .bind(&prepared.token_hash)
        .bind(scope.user_id())
        .bind(now)
        .bind(offer.expires_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        queue_mail(&mut tx, (org, id), &prepared.email, &prepared, now).await?;
        let details = json!({
            "event": "invited",
            "role": offer.role_name,
            "expires_at": offer.expires_at,
            "access_expires_at": offer.access_expires_at,
        });
        record(&mut tx, actor, target_scope, Action::InvitationsWrite, &prepared.email, details)
            .await?;
        outcomes.push((prepared.email, Outcome::Invited));
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Whether the address (of organization `org`) has a pending invitation for the same: a role
/// at the scope `at`, or a place in group `group` (one of the two). Lapsed ones expire first.
pub(super) async fn already_invited(
    tx: &mut sqlx::AnyConnection,
    (org, email): (i64, &str),
    (at, group): (Option<ScopeRef>, Option<i64>),
    now: i64,
) -> Result<bool, sqlx::Error> {
    expire_lapsed(tx, org, Some(email), now).await?;
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE organization_id = $1 AND email = $2 \
         AND state = 'pending' AND ((role_name IS NOT NULL AND scope_kind = $3 \
         AND scope_id = $4) OR group_id = $5)",
    )
    .bind(org)
    .bind(email)
    .bind(at.map(|at| at.kind.as_str()).unwrap_or_default())
    .bind(at.map(|at| at.id).unwrap_or_default())
    .bind(group)
    .fetch_one(&mut *tx)
    .await?;
    Ok(pending > 0)
}

/// Queues the email of invitation `id` of organization `org` to `recipient`: the prepared
/// message, its link sealed apart.
pub(super) async fn queue_mail(
    tx: &mut sqlx::AnyConnection,
    (org, id): (i64, i64),
    recipient: &str,
    prepared: &Prepared,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mail = NewMail {
        organization_id: Some(org),
        invitation_id: Some(id),
        recipient,
        subject: &prepared.subject,
        sealed_body: &prepared.sealed_body,
        sealed_link: &prepared.sealed_link,
    };
    outbox::queue(tx, mail, now).await.map(drop)
}

/// Pending invitations past their expiry become expired (for one address, or all), with an
/// activity-log event each; their unsent mail is dropped.
async fn expire_lapsed(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    email: Option<&str>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let lapsed = sqlx::query(
        "SELECT i.id, i.email, i.scope_kind, i.scope_id FROM invitations i \
         WHERE i.organization_id = $1 AND i.state = 'pending' AND i.expires_at <= $2 \
         AND ($3 = '' OR i.email = $3)",
    )
    .bind(organization_id)
    .bind(now)
    .bind(email.unwrap_or(""))
    .fetch_all(&mut *tx)
    .await?;
    for row in &lapsed {
        let id: i64 = row.try_get("id")?;
        sqlx::query("UPDATE invitations SET state = 'expired', closed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        outbox::discard_unsent(tx, id).await?;
        let at = (organization_id, scope_from_row(row)?);
        let email: String = row.try_get("email")?;
        let details = json!({ "event": "expired" });
        record_system_event(
            tx,
            "invitation expiry",
            at,
            Action::InvitationsDelete,
            &target(&email),
            details,
        )
        .await?;
    }
    Ok(lapsed.len())
}

/// An event about a stored scope reference, from Atelier itself (expiry, mail delivery): the
/// scope is looked up for its place and path; one that is gone is logged at its organization.
pub(crate) async fn record_system_event(
    tx: &mut sqlx::AnyConnection,
    task: &str,
    (organization_id, scope): (i64, ScopeRef),
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let found = super::scopes::by_ref_in(tx, organization_id, scope).await?;
    let (place, path) = match &found {
        Some(scope) => (scope.place(), scope.path().to_string()),
        None => (
            audit::Place { organization_id: Some(organization_id), ..Default::default() },
            String::new(),
        ),
    };
    let event = Event { action, place, scope_path: &path, target, details };
    audit::record(tx, &Actor::system(task), event).await
}

/// Expires every lapsed pending invitation on the instance (the hourly housekeeping).
pub async fn expire_all_lapsed(pool: &Pool, now: i64) -> Result<usize, sqlx::Error> {
    let orgs: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT organization_id FROM invitations WHERE state = 'pending' AND expires_at <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut total = 0;
    for org in orgs {
        let mut tx = super::begin(pool).await?;
        total += expire_lapsed(&mut tx, org, None, now).await?;
        tx.commit().await?;
    }
    Ok(total)
}

/// Closed invitations (and their mail) older than the retention window are deleted.
pub async fn delete_closed_before(pool: &Pool, cutoff: i64) -> Result<u64, sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "DELETE FROM outbox WHERE invitation_id IN (SELECT id FROM invitations \
         WHERE state <> 'pending' AND closed_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *tx)
    .await?;
    let deleted =
        sqlx::query("DELETE FROM invitations WHERE state <> 'pending' AND closed_at < $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    tx.commit().await?;
    Ok(deleted)
}

pub(super) const ROW_COLUMNS: &str =
    "i.id, i.email, i.role_name, i.group_id, i.group_name, i.state, \
     u.display_name AS inviter_name, \
     i.invited_by, i.access_expires_at, i.sent_at, i.expires_at, i.scope_kind, i.scope_id, \
     o.state AS mail_state, o.attempts AS mail_attempts, o.last_error AS mail_error";

pub(super) const ROW_JOINS: &str = "FROM invitations i JOIN users u ON u.id = i.invited_by \
     LEFT JOIN outbox o ON o.id = (SELECT MAX(id) FROM outbox \
         WHERE invitation_id = i.id AND state <> 'discarded')";

pub(super) fn invitation_row(row: &sqlx::any::AnyRow) -> Result<InvitationRow, sqlx::Error> {
    let mail_state: Option<String> = row.try_get("mail_state")?;
    Ok(InvitationRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        offering: offering(row)?,
        state: row.try_get("state")?,
        inviter_name: row.try_get("inviter_name")?,
        invited_by: row.try_get("invited_by")?,
        access_expires_at: row.try_get("access_expires_at")?,
        sent_at: row.try_get("sent_at")?,
        expires_at: row.try_get("expires_at")?,
        scope: scope_from_row(row)?,
        delivery: match mail_state {
            Some(state) => Some((state, row.try_get("mail_attempts")?, row.try_get("mail_error")?)),
            None => None,
        },
    })
}

/// The pending invitations made at exactly the proof's scope, newest first.
pub async fn pending_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let here = scope.target().scope_ref();
    sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} {ROW_JOINS} WHERE i.organization_id = $1 AND i.scope_kind = $2 \
         AND i.scope_id = $3 AND i.state = 'pending' ORDER BY i.id DESC"
    ))
    .bind(scope.target().organization().id)
    .bind(here.kind.as_str())
    .bind(here.id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(invitation_row)
    .collect()
}

/// Invitation `id`, if it is pending at exactly the proof's scope.
pub async fn pending_one_at(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    id: i64,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let here = scope.target().scope_ref();
    sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} {ROW_JOINS} WHERE i.id = $1 AND i.organization_id = $2 \
         AND i.scope_kind = $3 AND i.scope_id = $4 AND i.state = 'pending'"
    ))
    .bind(id)
    .bind(scope.target().organization().id)
    .bind(here.kind.as_str())
    .bind(here.id)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(invitation_row)
    .transpose()
}

/// A person's pending invitations anywhere in one organization they invited others to.
pub async fn pending_by_inviter(
    pool: &Pool,
    organization_id: i64,
    inviter: i64,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} {ROW_JOINS} WHERE i.organization_id = $1 AND i.invited_by = $2 \
         AND i.state = 'pending' ORDER BY i.id"
    ))
    .bind(organization_id)
    .bind(inviter)
    .fetch_all(pool)
    .await?
    .iter()
    .map(invitation_row)
    .collect()
}

/// Closes a pending invitation: `revoked` (by someone at the scope) or `declined` (by the
/// invitee). Returns false when it was no longer pending.
pub async fn close(
    pool: &Pool,
    scope: &AnyScope,
    actor: &Actor,
    invitation: (i64, &str),
    state: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (id, email) = invitation;
    let mut tx = super::begin(pool).await?;
    let closed = sqlx::query(
        "UPDATE invitations SET state = $1, closed_at = $2, closed_by = $3 \
         WHERE id = $4 AND organization_id = $5 AND state = 'pending'",
    )
    .bind(state)
    .bind(now)
    .bind(actor.user_id)
    .bind(id)
    .bind(scope.organization().id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !closed {
        return Ok(false);
    }
    outbox::discard_unsent(&mut tx, id).await?;
    record(&mut tx, actor, scope, Action::InvitationsDelete, email, json!({ "event": state }))
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A new token and a fresh expiry for a pending invitation; the old link stops working and its
/// unsent mail is dropped; the new message is queued.
pub async fn resend(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    invitation: &InvitationRow,
    prepared: &Prepared,
    expires_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let org = scope.target().organization().id;
    let mut tx = super::begin(pool).await?;
    let updated = sqlx::query(
        "UPDATE invitations SET token_hash = $1, sent_at = $2, expires_at = $3 \
         WHERE id = $4 AND organization_id = $5 AND state = 'pending'",
    )
    .bind(&prepared.token_hash)
    .bind(now)
    .bind(expires_at)
    .bind(invitation.id)
    .bind(org)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !updated {
        return Ok(false);
    }
    outbox::discard_unsent(&mut tx, invitation.id).await?;
    queue_mail(&mut tx, (org, invitation.id), &invitation.email, prepared, now).await?;
    record(
        &mut tx,
        actor,
        scope.target(),
        Action::InvitationsWrite,
        &invitation.email,
        json!({ "event": "resent", "expires_at": expires_at }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Changes the role a pending invitation offers.
pub async fn change_role(
    pool: &Pool,
    scope: &Authorized<AnyScope>,
    actor: &Actor,
    invitation: &InvitationRow,
    (role_name, access_expires_at): (&str, Option<i64>),
) -> Result<bool, sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    let updated = sqlx::query(
        "UPDATE invitations SET role_name = $1, access_expires_at = $2 \
         WHERE id = $3 AND organization_id = $4 AND state = 'pending' AND role_name IS NOT NULL",
    )
    .bind(role_name)
    .bind(access_expires_at)
    .bind(invitation.id)
    .bind(scope.target().organization().id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !updated {
        return Ok(false);
    }
    record(
        &mut tx,
        actor,
        scope.target(),
        Action::InvitationsWrite,
        &invitation.email,
        json!({
            "event": "role changed",
            "before": invitation.offering.role(),
            "after": role_name,
            "access_expires_at": access_expires_at,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

const INVITATION_COLUMNS: &str = "i.id, i.organization_id, i.scope_kind, i.scope_id, i.email, \
     i.role_name, i.group_id, i.group_name, i.message, i.state, u.display_name AS inviter_name, i.invited_by, \
     i.access_expires_at, i.expires_at, i.token_hash";

fn invitation(row: &sqlx::any::AnyRow) -> Result<Invitation, sqlx::Error> {
    Ok(Invitation {
        id: row.try_get("id")?,
        organization_id: row.try_get("organization_id")?,
        scope: scope_from_row(row)?,
        email: row.try_get("email")?,
        offering: offering(row)?,
        message: row.try_get("message")?,
        state: row.try_get("state")?,
        inviter_name: row.try_get("inviter_name")?,
        invited_by: row.try_get("invited_by")?,
        access_expires_at: row.try_get("access_expires_at")?,
        expires_at: row.try_get("expires_at")?,
        token_hash: row.try_get("token_hash")?,
    })
}

/// The invitation a link's token belongs to (by the token's hash).
pub async fn by_token_hash(pool: &Pool, hash: &str) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN users u ON u.id = i.invited_by \
         WHERE i.token_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(invitation)
    .transpose()
}

/// Invitation `id` if it is addressed to `email` (the invitee's own inbox).
pub async fn addressed_to(
    pool: &Pool,
    id: i64,
    email: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN users u ON u.id = i.invited_by \
         WHERE i.id = $1 AND i.email = $2"
    ))
    .bind(id)
    .bind(email)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(invitation)
    .transpose()
}

/// Pending, unexpired invitations addressed to `email`, newest first.
pub async fn inbox(pool: &Pool, email: &str, now: i64) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN users u ON u.id = i.invited_by \
         WHERE i.email = $1 AND i.state = 'pending' AND i.expires_at > $2 ORDER BY i.id DESC"
    ))
    .bind(email)
    .bind(now)
    .fetch_all(pool)
    .await?
    .iter()
    .map(invitation)
    .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// Someone (or a second click) got there first, or it expired or was revoked meanwhile.
    #[error("the invitation is no longer pending")]
    NoLongerPending,
    /// The group it offers was deleted (which revoked it).
    #[error("the group was deleted")]
    GroupGone,
    #[error(transparent)]
    Grant(ChangeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Accepts: the invitation closes and what it offers is given (the role at its scope, or a
/// place in its group), in one transaction. Of two concurrent accepts exactly one sees the row
/// still pending. Using the link proves nothing about the address: the inviter can copy it
/// (see `addresses` for what does).
pub async fn accept(
    pool: &Pool,
    invitation: &Invitation,
    scope: &AnyScope,
    actor: &Actor,
    user_id: i64,
    now: i64,
) -> Result<(), AcceptError> {
    let mut tx = super::begin(pool).await?;
    // The organization first, as every change of access takes it (deleting a group, which
    // revokes its invitations, among them): claiming the row first could deadlock with that.
    lock_organization(&mut tx, invitation.organization_id).await?;
    if !claim(&mut tx, invitation, user_id, now).await? {
        return Err(match &invitation.offering {
            Offering::Group { id, .. }
                if !super::group_invitations::group_exists(&mut *tx, *id).await? =>
            {
                AcceptError::GroupGone
            }
            _ => AcceptError::NoLongerPending,
        });
    }
    let details = match &invitation.offering {
        Offering::Role(role) => {
            give_role(&mut tx, invitation, (scope, actor), (user_id, role), now).await?;
            json!({ "event": "accepted", "role": role })
        }
        Offering::Group { id: Some(group_id), name } => {
            let org = scope.organization();
            let joining = (*group_id, user_id);
            super::group_invitations::join(&mut tx, invitation, (org, actor), joining).await?;
            json!({ "event": "accepted", "group": name })
        }
        Offering::Group { id: None, .. } => return Err(AcceptError::GroupGone),
    };
    outbox::discard_unsent(&mut tx, invitation.id).await?;
    record(&mut tx, actor, scope, Action::InvitationsWrite, &invitation.email, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the invitation as accepted if it is still as it was read: pending, unexpired, its
/// link not replaced (resent) and its offer not changed since.
async fn claim(
    tx: &mut sqlx::AnyConnection,
    invitation: &Invitation,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (role, group) = match &invitation.offering {
        Offering::Role(role) => (Some(role.as_str()), None),
        Offering::Group { id, .. } => (None, *id),
    };
    let claimed = sqlx::query(
        "UPDATE invitations SET state = 'accepted', closed_at = $1, closed_by = $2 \
         WHERE id = $3 AND state = 'pending' AND expires_at > $1 AND token_hash = $4 \
         AND (role_name = $5 OR group_id = $6)",
    )
    .bind(now)
    .bind(user_id)
    .bind(invitation.id)
    .bind(&invitation.token_hash)
    .bind(role)
    .bind(group)
    .execute(&mut *tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Gives the invitee the invitation's role at its scope, unless they hold it already.
async fn give_role(
    tx: &mut sqlx::AnyConnection,
    invitation: &Invitation,
    (scope, actor): (&AnyScope, &Actor),
    (user_id, role): (i64, &str),
    now: i64,
) -> Result<(), AcceptError> {
    let here = scope.scope_ref();
    // An ended assignment of the same role that housekeeping has not removed yet makes way.
    sqlx::query(
        "DELETE FROM role_assignments WHERE organization_id = $1 AND user_id = $2 \
         AND role_name = $3 AND scope_kind = $4 AND scope_id = $5 AND expires_at <= $6",
    )
    .bind(invitation.organization_id)
    .bind(user_id)
    .bind(role)
    .bind(here.kind.as_str())
    .bind(here.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // Checked first: on PostgreSQL a failed insert would abort the whole transaction.
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_assignments WHERE organization_id = $1 AND user_id = $2 \
         AND role_name = $3 AND scope_kind = $4 AND scope_id = $5",
    )
    .bind(invitation.organization_id)
    .bind(user_id)
    .bind(role)
    .bind(here.kind.as_str())
    .bind(here.id)
    .fetch_one(&mut *tx)
    .await?;
    if held == 0 {
        role_assignments::grant_until(
            tx,
            actor,
            scope,
            (user_id, invitation.invited_by),
            role,
            invitation.access_expires_at,
        )
        .await
        .map_err(AcceptError::Grant)?;
    }
    Ok(())
}

/// Records a delivery outcome of an invitation's mail in the activity log (in the worker's
/// transaction that marks the message).
pub async fn record_delivery(
    tx: &mut sqlx::AnyConnection,
    invitation_id: i64,
    delivered: bool,
    error: &str,
) -> Result<(), sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT organization_id, email, scope_kind, scope_id FROM invitations WHERE id = $1",
    )
    .bind(invitation_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(());
    };
    let at = (row.try_get("organization_id")?, scope_from_row(&row)?);
    let email: String = row.try_get("email")?;
    let details = if delivered {
        json!({ "event": "delivered" })
    } else {
        json!({ "event": "delivery failed", "reason": error })
    };
    record_system_event(tx, "mail delivery", at, Action::InvitationsWrite, &target(&email), details)
        .await
}
