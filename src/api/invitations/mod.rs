//! Invitations (DESIGN.md §4): invite addresses to a role at a scope (or, from a group's page,
//! into the group: `api::groups`), manage what is pending, and, holding the link (or signed in
//! with the invited address), accept or decline.

mod answer;
mod invite;
mod landing;
mod manage;

pub use answer::UNCONFIRMED as UNCONFIRMED_INBOX;
pub use answer::{accept_invitation, answer_invitation, decline_invitation, my_invitations};
pub use answer::{AcceptInvitation, AnswerInvitation, DeclineInvitation, MyInvitations};
pub use invite::{invite, Invite};
#[cfg(feature = "ssr")]
pub(crate) use invite::{send_group_invitations, send_invitations, RoleOffer};
pub use landing::{invitation_landing, InvitationLanding};
pub use manage::{change_invitation_role, invitation_link, resend_invitation, revoke_invitation};
pub use manage::{ChangeInvitationRole, InvitationLink, ResendInvitation, RevokeInvitation};

#[cfg(feature = "ssr")]
pub(crate) use invite::invite_at;
#[cfg(feature = "ssr")]
pub(crate) use manage::{pending_at, resend, revoke};

use serde::{Deserialize, Serialize};

pub mod fields {
    pub const SCOPE: &str = "scope";
    pub const EMAILS: &str = "emails";
    pub const ROLE: &str = "role";
    pub const NOTE: &str = "note";
    pub const ACCESS_ENDS: &str = "access_ends";
    pub const INVITATION: &str = "invitation";
    pub const TOKEN: &str = "token";
}

/// What became of one address of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResult {
    pub email: String,
    pub outcome: InviteOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteOutcome {
    Invited,
    AlreadyHasRole,
    AlreadyInvited,
    Invalid(String),
    /// Inviting into a group: a member of the organization (address confirmed) is put in the
    /// group at once, as adding them would.
    Added,
    /// Inviting into a group: already in it.
    AlreadyInGroup,
}

impl InviteOutcome {
    pub fn describe(&self) -> String {
        match self {
            Self::Invited => "Invited".to_owned(),
            Self::AlreadyHasRole => "Already has this role here".to_owned(),
            Self::AlreadyInvited => "Already invited here (see pending invitations)".to_owned(),
            Self::Invalid(why) => format!("Not invited: {why}"),
            Self::Added => "In this organization already: added to the group".to_owned(),
            Self::AlreadyInGroup => "Already in this group".to_owned(),
        }
    }

    /// Whether the address got what was offered (an invitation, or the group at once).
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Invited | Self::Added)
    }
}

/// A pending invitation on a scope's Access control page (or a group's page). It offers a role
/// or a place in a group: exactly one of `role` and `group` is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub role: Option<String>,
    pub group: Option<String>,
    pub inviter: String,
    pub sent_at: i64,
    pub expires_at: i64,
    pub expired: bool,
    pub access_expires_at: Option<i64>,
    pub delivery: Delivery,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// No mail server: the inviter copies the link.
    NoMailServer,
    Queued,
    Retrying {
        attempts: i64,
        reason: String,
    },
    Sent,
    Failed {
        reason: String,
    },
}

impl Delivery {
    pub fn describe(&self) -> String {
        match self {
            Self::NoMailServer => "Not emailed (no mail server): copy the link".to_owned(),
            Self::Queued => "Queued".to_owned(),
            Self::Retrying { attempts, reason } => {
                format!("Retrying after {attempts} failed attempt(s): {reason}")
            }
            Self::Sent => "Sent".to_owned(),
            Self::Failed { reason } => format!("Failed: {reason}"),
        }
    }
}

/// What an invitation link shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Landing {
    Pending(Offer),
    Accepted,
    Declined,
    Revoked,
    /// The group it offered was deleted (which withdrew it); the group's name.
    GroupDeleted(String),
    Expired,
    Unknown,
}

/// What a pending invitation offers: a role at its place ("workspace detector in contoso ›
/// vision"), or a place in a group of the organization its place names ("Contoso"). Exactly
/// one of `role` and `group` is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub inviter: String,
    pub place: String,
    pub role: Option<String>,
    pub group: Option<String>,
    pub note: String,
    pub expires_at: i64,
    pub access_expires_at: Option<i64>,
    /// The invited address: the link is its holder's, so it may be shown to fill sign-up.
    pub email: String,
    pub viewer: Viewer,
    pub open_sign_up: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Visitor,
    Invitee,
    /// Signed in with another address: only a masked form of the invited one is shown.
    SomeoneElse {
        masked_invited: String,
    },
}

/// The invitee's own inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    /// Whether the address is shown to be theirs, so invitations can be accepted here.
    pub address_verified: bool,
}

/// An invitation in the invitee's own inbox; `place`, `role` and `group` as in [`Offer`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub inviter: String,
    pub place: String,
    pub role: Option<String>,
    pub group: Option<String>,
    pub note: String,
    pub expires_at: i64,
}

/// "workspace detector in contoso › vision", as invitations name where they lead.
#[cfg(feature = "ssr")]
pub(crate) fn place_of(scope: &crate::server::db::scopes::AnyScope) -> String {
    use crate::server::db::scopes::AnyScope;
    match scope {
        AnyScope::Organization(o) => format!("organization {}", o.name),
        AnyScope::ResourceGroup(g) => {
            format!("resource group {} in {}", g.name, g.organization.name)
        }
        AnyScope::Workspace(w) => format!(
            "workspace {} in {} › {}",
            w.name, w.resource_group.organization.name, w.resource_group.name
        ),
    }
}

/// Where an invitation leads and what it offers there, as `Offer` and `InboxItem` carry them:
/// (place, role, group). A group invitation's place is its organization.
#[cfg(feature = "ssr")]
pub(crate) fn offered(
    scope: &crate::server::db::scopes::AnyScope,
    offering: crate::server::db::invitations::Offering,
) -> (String, Option<String>, Option<String>) {
    use crate::server::db::invitations::Offering;
    match offering {
        Offering::Role(role) => (place_of(scope), Some(role), None),
        Offering::Group { name, .. } => (scope.organization().name.clone(), None, Some(name)),
    }
}

/// What a pending invitation offers, as lists show it: (role, group).
#[cfg(feature = "ssr")]
pub(crate) fn role_or_group(
    offering: &crate::server::db::invitations::Offering,
) -> (Option<String>, Option<String>) {
    use crate::server::db::invitations::Offering;
    match offering {
        Offering::Role(role) => (Some(role.clone()), None),
        Offering::Group { name, .. } => (None, Some(name.clone())),
    }
}

/// A token and its sealed email for one address: what `db::invitations` writes.
#[cfg(feature = "ssr")]
pub(crate) fn prepare(
    state: &crate::server::state::AppState,
    inviter: &str,
    to: crate::server::mail::compose::InvitedTo<'_>,
    note: &str,
    email: &str,
    expires_at: i64,
) -> Result<crate::server::db::invitations::Prepared, crate::error::AppError> {
    use crate::server::error::OrInternal;
    use crate::server::mail::compose::{invitation, InvitationMail, LINK_PLACEHOLDER};
    use crate::server::secrets::new_token;
    let (token, token_hash) = new_token().or_internal("making an invitation token")?;
    let link = invitation_url(state, &token);
    let expires = crate::domain::format::date_time(expires_at);
    // The body keeps a placeholder; the link is sealed apart and forgotten once not needed.
    let slot = LINK_PLACEHOLDER;
    let mail = InvitationMail { inviter, to, message: note, link: slot, expires: &expires };
    let (subject, body) = invitation(&mail);
    let json = serde_json::to_string(&body).or_internal("encoding an email")?;
    let sealed_body = state.sealer.seal(&json).or_internal("sealing an email")?;
    let sealed_link = state.sealer.seal(&link).or_internal("sealing a link")?;
    Ok(crate::server::db::invitations::Prepared {
        email: email.to_owned(),
        token_hash,
        subject,
        sealed_body,
        sealed_link,
    })
}

#[cfg(feature = "ssr")]
fn invitation_url(state: &crate::server::state::AppState, token: &str) -> String {
    let base = state.settings.base_url.as_ref().map(|u| u.as_str()).unwrap_or("/");
    format!("{}/invite/{token}", base.trim_end_matches('/'))
}

/// A pending invitation as lists show it, when `mail_configured` (or not) and at `now`.
#[cfg(feature = "ssr")]
pub(crate) fn pending_view(
    row: crate::server::db::invitations::InvitationRow,
    mail_configured: bool,
    now: i64,
) -> PendingInvitation {
    let (role, group) = role_or_group(&row.offering);
    PendingInvitation {
        id: row.id,
        delivery: delivery_of(&row, mail_configured),
        email: row.email,
        role,
        group,
        inviter: row.inviter_name,
        sent_at: row.sent_at,
        expires_at: row.expires_at,
        expired: row.expires_at <= now,
        access_expires_at: row.access_expires_at,
    }
}

#[cfg(feature = "ssr")]
fn delivery_of(
    row: &crate::server::db::invitations::InvitationRow,
    mail_configured: bool,
) -> Delivery {
    match &row.delivery {
        _ if !mail_configured => Delivery::NoMailServer,
        None => Delivery::Queued,
        Some((state, attempts, reason)) => match state.as_str() {
            "sent" => Delivery::Sent,
            "failed" => Delivery::Failed { reason: reason.clone() },
            _ if *attempts > 0 => {
                Delivery::Retrying { attempts: *attempts, reason: reason.clone() }
            }
            _ => Delivery::Queued,
        },
    }
}

/// Whether the person who invited still may give `role` at `scope` (they may have lost their
/// own access since): checked again at acceptance, and for all their pending invitations when
/// their access changes.
#[cfg(feature = "ssr")]
pub(crate) async fn inviter_may_give(
    state: &crate::server::state::AppState,
    inviter_id: i64,
    role: &str,
    scope: &crate::server::db::scopes::AnyScope,
) -> Result<bool, crate::error::AppError> {
    use crate::authz::Action;
    use crate::error::ErrorKind;
    use crate::server::authz::giving::grantable_role;
    use crate::server::authz::giving::roles_assignable_at;
    use crate::server::db::users;
    use crate::server::{authz, error::OrInternal};
    let Some(inviter) =
        users::find_by_id(&state.pool, inviter_id).await.or_internal("finding an inviter")?
    else {
        return Ok(false);
    };
    match authz::require(&state.pool, &inviter, scope.clone(), Action::RoleAssignmentsWrite).await {
        Ok(proof) => {
            let roles = roles_assignable_at(&state.pool, &proof).await?;
            Ok(grantable_role(&proof, &roles, role, fields::ROLE).is_ok())
        }
        Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether the person who invited may still give what the invitation offers: its role at its
/// scope, or a place in its group (as putting someone in the group needs).
#[cfg(feature = "ssr")]
pub(crate) async fn inviter_may_offer(
    state: &crate::server::state::AppState,
    (inviter, offering): (i64, &crate::server::db::invitations::Offering),
    scope: &crate::server::db::scopes::AnyScope,
) -> Result<bool, crate::error::AppError> {
    use crate::server::db::invitations::Offering;
    match offering {
        Offering::Role(role) => inviter_may_give(state, inviter, role, scope).await,
        Offering::Group { name, .. } => {
            let organization = &scope.organization().slug;
            crate::api::groups::may_fill(state, inviter, organization, name).await
        }
    }
}

/// Revokes the pending invitations of `inviter` in the organization that they may no longer
/// give (their own access was removed or reduced).
#[cfg(feature = "ssr")]
pub(crate) async fn revoke_orphaned(
    state: &crate::server::state::AppState,
    organization_id: i64,
    inviter: i64,
) -> Result<(), crate::error::AppError> {
    use crate::server::db::audit::Actor;
    use crate::server::db::{invitations, scopes};
    use crate::server::error::OrInternal;
    let pending = invitations::pending_by_inviter(&state.pool, organization_id, inviter)
        .await
        .or_internal("listing an inviter's invitations")?;
    let system = Actor::system("inviter's access removed");
    for row in pending {
        let scope = scopes::by_ref(&state.pool, organization_id, row.scope)
            .await
            .or_internal("finding an invitation's scope")?;
        let Some(scope) = scope else { continue };
        if !inviter_may_offer(state, (inviter, &row.offering), &scope).await? {
            let now = state.clock.now();
            invitations::close(&state.pool, &scope, &system, (row.id, &row.email), "revoked", now)
                .await
                .or_internal("revoking an invitation")?;
        }
    }
    Ok(())
}
