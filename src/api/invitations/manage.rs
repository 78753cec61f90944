//! Managing a pending invitation at its scope: revoke, resend (a new link), change its role,
//! and copy its link when no mail server delivers it.

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::server::{authz::Authorized, db::invitations::InvitationRow, db::scopes::AnyScope};

/// The proof for `action` at `scope` and the pending invitation `id` made there. An
/// invitation into a group is also in the hands of whoever may put people in the group (its
/// managers among them), who need not hold `action`.
#[cfg(feature = "ssr")]
async fn pending(
    caller: &crate::server::authz::Caller,
    scope: &str,
    id: i64,
    action: crate::authz::Action,
) -> Result<(Authorized<AnyScope>, InvitationRow), AppError> {
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::error::ErrorKind;
    use crate::server::db::invitations::{self, Offering};
    use crate::server::error::OrInternal;
    let state = &caller.state;
    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let (proof, refused) = match caller.scope(&path, action).await {
        Ok(proof) => (proof, None),
        Err(refused) if refused.kind == ErrorKind::Forbidden => {
            match caller.scope(&path, Action::GroupsRead).await {
                Ok(proof) => (proof, Some(refused)),
                Err(_) => return Err(refused),
            }
        }
        Err(hidden) => return Err(hidden),
    };
    let found = invitations::pending_one_at(&state.pool, &proof, id)
        .await
        .or_internal("finding an invitation")?;
    let Some(row) = found else {
        let gone = AppError::new(ErrorKind::NotFound, "This invitation is no longer pending.");
        return Err(refused.unwrap_or(gone));
    };
    match (&row.offering, refused) {
        // Its link puts its holder in the group: whoever passes it on (resend, copy) must be
        // allowed to, as when inviting. Revoking only takes away.
        (Offering::Group { name, .. }, refused) => {
            if refused.is_some() || action != Action::InvitationsDelete {
                let organization = &proof.target().organization().slug;
                crate::api::groups::filling(caller, organization, name).await?;
            }
        }
        (Offering::Role(_), Some(refused)) => return Err(refused),
        // Its link hands out its role: whoever passes it on (resend, copy) or changes it must
        // be allowed to give that role here, as when inviting.
        (Offering::Role(role), None) if action != Action::InvitationsDelete => {
            use crate::server::authz::giving::grantable_role;
            use crate::server::authz::giving::roles_assignable_at;
            if !proof.permits(Action::RoleAssignmentsWrite) {
                return Err(AppError::new(
                    ErrorKind::Forbidden,
                    "Your role here does not allow giving roles, so you cannot manage invitations.",
                ));
            }
            let roles = roles_assignable_at(&state.pool, &proof).await?;
            grantable_role(&proof, &roles, role, super::fields::ROLE)?;
        }
        (Offering::Role(_), None) => {}
    }
    Ok((proof, row))
}

#[server(endpoint = "invitations/revoke")]
pub async fn revoke_invitation(scope: String, invitation: i64) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    revoke(&caller, &scope, invitation).await
}

/// Revokes the pending invitation `id` made at `scope`: its link stops working.
#[cfg(feature = "ssr")]
pub(crate) async fn revoke(
    caller: &crate::server::authz::Caller,
    scope: &str,
    id: i64,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::server::db::invitations;
    use crate::server::error::OrInternal;
    let (proof, row) = pending(caller, scope, id, Action::InvitationsDelete).await?;
    invitations::close(
        caller.pool(),
        proof.target(),
        &caller.actor,
        (row.id, &row.email),
        "revoked",
        caller.state.clock.now(),
    )
    .await
    .or_internal("revoking an invitation")?;
    Ok(())
}

/// The invitations made at `scope` not yet answered, for whoever may read them there.
#[cfg(feature = "ssr")]
pub(crate) async fn pending_at(
    caller: &crate::server::authz::Caller,
    scope: &str,
) -> Result<Vec<super::PendingInvitation>, AppError> {
    use crate::domain::ScopePath;
    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, crate::authz::Action::InvitationsRead).await?;
    crate::api::access::pending_invitations(&caller.state, &proof).await
}

/// A new link (the old one stops working), a fresh expiry, and the email again.
#[server(endpoint = "invitations/resend")]
pub async fn resend_invitation(scope: String, invitation: i64) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    resend(&caller, &scope, invitation).await
}

/// Sends the pending invitation `id` made at `scope` again, with a new link.
#[cfg(feature = "ssr")]
pub(crate) async fn resend(
    caller: &crate::server::authz::Caller,
    scope: &str,
    id: i64,
) -> Result<(), AppError> {
    use super::{place_of, prepare};
    use crate::authz::Action;
    use crate::server::db::invitations;
    use crate::server::error::OrInternal;
    use crate::server::mail::compose::InvitedTo;
    let (proof, row) = pending(caller, scope, id, Action::InvitationsWrite).await?;
    let (state, user) = (&caller.state, caller.user());
    let now = state.clock.now();
    let expires_at = now + state.settings.invitation_days * 86_400;
    let note = invitations::addressed_to(&state.pool, row.id, &row.email)
        .await
        .or_internal("reading an invitation")?
        .map(|i| i.message)
        .unwrap_or_default();
    let place = place_of(proof.target());
    let to = InvitedTo::of(&row.offering, &place, &proof.target().organization().name);
    let prepared = prepare(state, &user.display_name, to, &note, &row.email, expires_at)?;
    invitations::resend(&state.pool, &proof, &caller.actor, &row, &prepared, expires_at, now)
        .await
        .or_internal("resending an invitation")?;
    state.mail_queued.notify_one();
    Ok(())
}

/// Offers a different role before the invitation is accepted.
#[server(endpoint = "invitations/change_role")]
pub async fn change_invitation_role(
    scope: String,
    invitation: i64,
    role: String,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::server::authz::giving::grantable_role;
    use crate::server::authz::giving::{grant_ends, roles_assignable_at};
    use crate::server::db::invitations;
    use crate::server::error::OrInternal;
    let caller = crate::server::authz::Caller::current().await?;
    let (proof, row) = pending(&caller, &scope, invitation, Action::InvitationsWrite).await?;
    if row.offering.role().is_none() {
        return Err(AppError::invalid_field(
            super::fields::ROLE,
            crate::domain::Invalid::new(
                "This invitation offers a place in a group, not a role: revoke it and invite again.",
            ),
        ));
    }
    let (state, actor) = (&caller.state, &caller.actor);
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, &role, super::fields::ROLE)?;
    // Whoever changes the offer gives it: their time-boxed access bounds it too.
    let ends = grant_ends(&proof, &definition, row.access_expires_at);
    let offer = (definition.name.as_str(), ends);
    invitations::change_role(&state.pool, &proof, actor, &row, offer)
        .await
        .or_internal("changing an invitation's role")?;
    Ok(())
}

/// The invitation's current link, for the inviter to pass on themselves.
#[server(endpoint = "invitations/link")]
pub async fn invitation_link(scope: String, invitation: i64) -> Result<String, AppError> {
    use crate::authz::Action;
    use crate::server::db::outbox;
    use crate::server::error::OrInternal;
    let caller = crate::server::authz::Caller::current().await?;
    let (proof, row) = pending(&caller, &scope, invitation, Action::InvitationsWrite).await?;
    let state = &caller.state;
    let mail = outbox::latest_for_invitation(&state.pool, proof.target().organization().id, row.id)
        .await
        .or_internal("reading an invitation's email")?
        .ok_or_else(|| {
            AppError::new(
                crate::error::ErrorKind::NotFound,
                "This invitation has no link yet: resend it.",
            )
        })?;
    if mail.sealed_link.is_empty() {
        return Err(AppError::new(
            crate::error::ErrorKind::NotFound,
            "The link went out by email and is not kept here. Resend the invitation for a new one.",
        ));
    }
    let link = state.sealer.open(&mail.sealed_link).or_internal("opening an invitation link")?;
    crate::api::plain_form::keep_answer::<InvitationLink>(&invitation.to_string(), &link).await;
    Ok(link)
}
