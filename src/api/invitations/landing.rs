use leptos::prelude::*;

use super::Landing;
use crate::error::AppError;

/// What the link `/invite/{token}` shows: the offer while it stands, or one clear state. The
/// token alone is looked up (by its hash); nothing about other invitations is revealed.
#[server(endpoint = "invitations/landing")]
pub async fn invitation_landing(token: String) -> Result<Landing, AppError> {
    use super::{offered, Offer, Viewer};
    use crate::domain::invitation::mask_email;
    use crate::server::db::invitations::Offering;
    use crate::server::db::{instance, invitations, scopes};
    use crate::server::secrets::token_hash;
    use crate::server::{auth, error::OrInternal, state::AppState};

    let state = AppState::current()?;
    // Links are guessed by trying them: misses from one address are slowed.
    let address = crate::server::audit::client_address().await;
    let guesses = crate::server::throttle::Kind::LinkGuessAddress;
    state.throttle.check(guesses, &address).map_err(|w| AppError::too_many(w.0, w.message()))?;
    let found = invitations::by_token_hash(&state.pool, &token_hash(token.trim()))
        .await
        .or_internal("finding an invitation")?;
    let Some(invitation) = found else {
        state.throttle.record(guesses, &address);
        return Ok(Landing::Unknown);
    };
    let now = state.clock.now();
    match invitation.state.as_str() {
        "accepted" => return Ok(Landing::Accepted),
        "declined" => return Ok(Landing::Declined),
        "revoked" => {
            return Ok(match invitation.offering {
                Offering::Group { id: None, name } => Landing::GroupDeleted(name),
                _ => Landing::Revoked,
            })
        }
        "expired" => return Ok(Landing::Expired),
        _ if !invitation.is_pending_at(now) => return Ok(Landing::Expired),
        _ => {}
    }
    let scope = scopes::by_ref(&state.pool, invitation.organization_id, invitation.scope)
        .await
        .or_internal("finding an invitation's scope")?;
    let Some(scope) = scope else { return Ok(Landing::Revoked) };
    let viewer = match auth::current_user(&state).await? {
        None => Viewer::Visitor,
        Some(user) if user.email.to_lowercase() == invitation.email => Viewer::Invitee,
        Some(_) => Viewer::SomeoneElse { masked_invited: mask_email(&invitation.email) },
    };
    let open_sign_up = instance::settings(&state.pool)
        .await
        .or_internal("reading instance settings")?
        .open_sign_up;
    let (place, role, group) = offered(&scope, invitation.offering);
    Ok(Landing::Pending(Offer {
        inviter: invitation.inviter_name,
        place,
        role,
        group,
        note: invitation.message,
        expires_at: invitation.expires_at,
        access_expires_at: invitation.access_expires_at,
        email: match viewer {
            Viewer::SomeoneElse { .. } => String::new(),
            _ => invitation.email,
        },
        viewer,
        open_sign_up,
    }))
}
