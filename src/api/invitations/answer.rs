//! The invitee's side: accept or decline by link (token) or from their inbox (signed in with
//! the invited address).

use leptos::prelude::*;

use super::Inbox;
use crate::error::AppError;

/// Why an unconfirmed account has no inbox.
pub const UNCONFIRMED: &str = "Confirm your address first, with the link in the confirmation \
     email. Until then, accept invitations with the link in their email.";

#[cfg(feature = "ssr")]
use crate::server::{db::invitations::Invitation, db::users::UserRecord, state::AppState};

/// The invitation behind `token`, if it is pending and addressed to the signed-in person.
#[cfg(feature = "ssr")]
async fn by_token_for_caller(token: &str) -> Result<(AppState, UserRecord, Invitation), AppError> {
    use crate::domain::invitation::mask_email;
    use crate::error::ErrorKind;
    use crate::server::db::invitations;
    use crate::server::secrets::token_hash;
    use crate::server::{auth, error::OrInternal};
    let (state, user) = auth::caller().await?;
    // Links are guessed by trying them: misses from one address are slowed.
    let address = crate::server::audit::client_address().await;
    let guesses = crate::server::throttle::Kind::LinkGuessAddress;
    state.throttle.check(guesses, &address).map_err(|w| AppError::too_many(w.0, w.message()))?;
    let found = invitations::by_token_hash(&state.pool, &token_hash(token.trim()))
        .await
        .or_internal("finding an invitation")?;
    if found.is_none() {
        state.throttle.record(guesses, &address);
    }
    let now = state.clock.now();
    let invitation = match found {
        Some(found) if found.is_pending_at(now) => found,
        found => {
            return Err(no_longer_pending(found.as_ref(), "This invitation link no longer works."))
        }
    };
    if user.email.to_lowercase() != invitation.email {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            format!(
                "This invitation is for {}. Sign out and sign in with that address to accept it.",
                mask_email(&invitation.email)
            ),
        ));
    }
    Ok((state, user, invitation))
}

/// The invitation `id` in the signed-in person's inbox. Until they confirm their address it
/// is only claimed (anyone can sign up with any address), so they have no inbox: neither
/// accepting nor declining what was sent there.
#[cfg(feature = "ssr")]
async fn mine(id: i64) -> Result<(AppState, UserRecord, Invitation), AppError> {
    use crate::server::db::{invitations, users};
    use crate::server::{auth, error::OrInternal};
    let (state, user) = auth::caller().await?;
    if !users::email_verified(&state.pool, user.id).await.or_internal("reading an account")? {
        return Err(AppError::new(crate::error::ErrorKind::Forbidden, UNCONFIRMED));
    }
    let found = invitations::addressed_to(&state.pool, id, &user.email.to_lowercase())
        .await
        .or_internal("finding an invitation")?;
    let invitation = match found {
        Some(found) if found.is_pending_at(state.clock.now()) => found,
        found => {
            return Err(no_longer_pending(found.as_ref(), "This invitation is no longer pending."))
        }
    };
    Ok((state, user, invitation))
}

/// Why an invitation cannot be answered: its group was deleted, or else `otherwise`.
#[cfg(feature = "ssr")]
fn no_longer_pending(invitation: Option<&Invitation>, otherwise: &str) -> AppError {
    use crate::server::db::invitations::Offering;
    match invitation.map(|i| &i.offering) {
        Some(Offering::Group { id: None, name }) => group_deleted(name),
        _ => AppError::new(crate::error::ErrorKind::NotFound, otherwise),
    }
}

#[cfg(feature = "ssr")]
fn group_deleted(name: &str) -> AppError {
    AppError::new(
        crate::error::ErrorKind::NotFound,
        format!("The group {name} was deleted, so this invitation no longer works."),
    )
}

/// Accepts: the role is given (or the group joined) and the person lands on the scope's page
/// (or, for a group, on their home page). Before that, the inviter must still be allowed to
/// give what it offers; if not, the invitation is revoked.
#[cfg(feature = "ssr")]
async fn accept(
    state: &AppState,
    user: &UserRecord,
    invitation: &Invitation,
) -> Result<(), AppError> {
    use crate::error::ErrorKind;
    use crate::server::db::invitations::{self, AcceptError, Offering};
    use crate::server::db::scopes;
    use crate::server::{audit, error::OrInternal};
    let gone = || AppError::new(ErrorKind::NotFound, "This invitation is no longer valid.");
    let scope = scopes::by_ref(&state.pool, invitation.organization_id, invitation.scope)
        .await
        .or_internal("finding an invitation's scope")?
        .ok_or_else(gone)?;
    let inviter = (invitation.invited_by, &invitation.offering);
    if !super::inviter_may_offer(state, inviter, &scope).await? {
        let system = crate::server::db::audit::Actor::system("invitation check");
        invitations::close(
            &state.pool,
            &scope,
            &system,
            (invitation.id, &invitation.email),
            "revoked",
            state.clock.now(),
        )
        .await
        .or_internal("revoking an invitation")?;
        // Deleting the group meanwhile also takes the inviter's right to fill it: say so.
        if let Offering::Group { id, name } = &invitation.offering {
            let exists = crate::server::db::group_invitations::group_exists(&state.pool, *id)
                .await
                .or_internal("finding an invitation's group")?;
            if !exists {
                return Err(group_deleted(name));
            }
        }
        return Err(gone());
    }
    let actor = audit::actor(user).await;
    match invitations::accept(&state.pool, invitation, &scope, &actor, user.id, state.clock.now())
        .await
    {
        Ok(()) => {}
        Err(AcceptError::NoLongerPending) => {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "This invitation has already been used.",
            ))
        }
        Err(AcceptError::GroupGone) => {
            let name = match &invitation.offering {
                Offering::Group { name, .. } => name.as_str(),
                Offering::Role(_) => "",
            };
            return Err(group_deleted(name));
        }
        Err(error) => return Err(crate::server::error::internal("accepting an invitation", error)),
    }
    tracing::info!(user_id = user.id, invitation_id = invitation.id, "invitation accepted");
    // A group may hold no role at its organization: its new member's home lists what it gives.
    let landing = match invitation.offering {
        Offering::Role(_) => scope.path().url(),
        Offering::Group { .. } => "/".to_owned(),
    };
    leptos_axum::redirect(&landing);
    Ok(())
}

#[cfg(feature = "ssr")]
async fn decline(
    state: &AppState,
    user: &UserRecord,
    invitation: &Invitation,
) -> Result<(), AppError> {
    use crate::server::db::{invitations, scopes};
    use crate::server::{audit, error::OrInternal};
    let scope = scopes::by_ref(&state.pool, invitation.organization_id, invitation.scope)
        .await
        .or_internal("finding an invitation's scope")?
        .ok_or_else(AppError::not_found)?;
    let actor = audit::actor(user).await;
    invitations::close(
        &state.pool,
        &scope,
        &actor,
        (invitation.id, &invitation.email),
        "declined",
        state.clock.now(),
    )
    .await
    .or_internal("declining an invitation")?;
    Ok(())
}

/// Accepts the invitation behind the link's token (a POST: opening the link changes nothing).
#[server(endpoint = "invitations/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let (state, user, invitation) = by_token_for_caller(&token).await?;
    accept(&state, &user, &invitation).await
}

#[server(endpoint = "invitations/decline")]
pub async fn decline_invitation(token: String) -> Result<(), AppError> {
    let (state, user, invitation) = by_token_for_caller(&token).await?;
    decline(&state, &user, &invitation).await?;
    leptos_axum::redirect("/invitations");
    Ok(())
}

/// Accepts or declines (`answer` = "accept" or "decline") an invitation in one's inbox.
#[server(endpoint = "invitations/answer")]
pub async fn answer_invitation(invitation: i64, answer: String) -> Result<(), AppError> {
    let (state, user, found) = mine(invitation).await?;
    match answer.as_str() {
        "accept" => accept(&state, &user, &found).await,
        "decline" => decline(&state, &user, &found).await,
        _ => Err(AppError::new(crate::error::ErrorKind::Invalid, "Accept or decline.")),
    }
}

/// Pending invitations addressed to the signed-in person.
#[server(endpoint = "invitations/mine")]
pub async fn my_invitations() -> Result<Inbox, AppError> {
    use super::{offered, InboxItem};
    use crate::server::db::{invitations, scopes, users};
    use crate::server::{auth, error::OrInternal};
    let (state, user) = auth::caller().await?;
    let address_verified =
        users::email_verified(&state.pool, user.id).await.or_internal("reading an account")?;
    if !address_verified {
        return Ok(Inbox { items: Vec::new(), address_verified });
    }
    let found = invitations::inbox(&state.pool, &user.email.to_lowercase(), state.clock.now())
        .await
        .or_internal("listing invitations")?;
    let mut items = Vec::new();
    for invitation in found {
        let scope = scopes::by_ref(&state.pool, invitation.organization_id, invitation.scope)
            .await
            .or_internal("finding an invitation's scope")?;
        if let Some(scope) = scope {
            let (place, role, group) = offered(&scope, invitation.offering);
            items.push(InboxItem {
                id: invitation.id,
                inviter: invitation.inviter_name,
                place,
                role,
                group,
                note: invitation.message,
                expires_at: invitation.expires_at,
            });
        }
    }
    Ok(Inbox { items, address_verified })
}
