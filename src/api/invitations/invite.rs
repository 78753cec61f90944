use leptos::prelude::*;

use super::InviteResult;
use crate::error::AppError;

/// Invites each address in `emails` to `role` at `scope`. One answer per address: invited,
/// already holds the role here, already invited, or not an address.
#[server(endpoint = "invitations/create")]
pub async fn invite(
    scope: String,
    emails: String,
    role: String,
    note: String,
    access_ends: String,
) -> Result<Vec<InviteResult>, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let results = invite_at(&caller, &scope, &emails, &role, &note, &access_ends).await?;
    crate::api::plain_form::keep_answer::<Invite>("", &results).await;
    Ok(results)
}

/// Invites each address of `emails` (one or more, separated by commas, spaces or lines).
#[cfg(feature = "ssr")]
pub(crate) async fn invite_at(
    caller: &crate::server::authz::Caller,
    scope: &str,
    emails: &str,
    role: &str,
    note: &str,
    access_ends: &str,
) -> Result<Vec<InviteResult>, AppError> {
    use super::{fields, InviteOutcome};
    use crate::authz::Action;
    use crate::domain::invitation::{AddressList, InvitationNote};
    use crate::domain::{Invalid, ScopePath};
    use crate::server::authz::giving::grantable_role;
    use crate::server::authz::giving::roles_assignable_at;
    use crate::server::db::invitations::Outcome;

    let (state, user) = (&caller.state, caller.user());
    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, Action::InvitationsWrite).await?;
    // Inviting hands out a role assignment: the same rule as granting one directly.
    if !proof.permits(Action::RoleAssignmentsWrite) {
        return Err(AppError::new(
            crate::error::ErrorKind::Forbidden,
            "Your role here does not allow giving roles, so you cannot invite.",
        ));
    }
    let list =
        AddressList::check(emails).map_err(|e| AppError::invalid_field(fields::EMAILS, e))?;
    let note = InvitationNote::parse(note).map_err(|e| AppError::invalid_field(fields::NOTE, e))?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, role, super::fields::ROLE)?;
    let now = state.clock.now();
    let access_expires_at = match access_ends.trim() {
        "" => None,
        text => {
            let ends = crate::domain::format::epoch_from_date(text)
                .filter(|&at| at > now)
                .ok_or_else(|| {
                    AppError::invalid_field(
                        fields::ACCESS_ENDS,
                        Invalid::new("Choose a date in the future, or leave it empty for access without an end."),
                    )
                })?;
            Some(ends)
        }
    };
    let offer = RoleOffer { definition: &definition, note: note.as_str(), access_expires_at };
    let outcomes =
        send_invitations(state, (user, &caller.actor), &proof, &offer, &list.valid).await?;
    let mut results: Vec<InviteResult> = outcomes
        .into_iter()
        .map(|(email, outcome)| InviteResult {
            email,
            outcome: match outcome {
                Outcome::Invited => InviteOutcome::Invited,
                Outcome::AlreadyHasRole => InviteOutcome::AlreadyHasRole,
                Outcome::AlreadyInvited => InviteOutcome::AlreadyInvited,
            },
        })
        .collect();
    results.extend(
        list.invalid.into_iter().map(|(entry, why)| InviteResult {
            email: entry,
            outcome: InviteOutcome::Invalid(why.0),
        }),
    );
    Ok(results)
}

/// What an invitation offers: a role (already checked as one the inviter may give there), a
/// note, and when the access ends (`None`: no end).
#[cfg(feature = "ssr")]
pub(crate) struct RoleOffer<'a> {
    pub definition: &'a crate::authz::RoleDefinition,
    pub note: &'a str,
    pub access_expires_at: Option<i64>,
}

/// Invites `emails` to the offered role at the proof's scope: what inviting and granting to
/// someone outside the organization share. Access given by time-boxed access ends with it.
#[cfg(feature = "ssr")]
pub(crate) async fn send_invitations(
    state: &crate::server::state::AppState,
    (user, actor): (&crate::server::db::users::UserRecord, &crate::server::db::audit::Actor),
    proof: &crate::server::authz::Authorized<crate::server::db::scopes::AnyScope>,
    offer: &RoleOffer<'_>,
    emails: &[crate::domain::Email],
) -> Result<Vec<(String, crate::server::db::invitations::Outcome)>, AppError> {
    use super::place_of;
    use crate::server::authz::giving::grant_ends;
    use crate::server::db::invitations::{self, Offer, Outcome};
    use crate::server::error::OrInternal;
    use crate::server::mail::compose::InvitedTo;

    within_hourly_cap(state, proof.target().organization().id, emails.len())?;
    let now = state.clock.now();
    let expires_at = now + state.settings.invitation_days * 86_400;
    let place = place_of(proof.target());
    let role_name = offer.definition.name.as_str();
    let to = InvitedTo::Role { place: &place, role: role_name };
    let batch = prepare_batch(state, (&user.display_name, to, offer.note), emails, expires_at)?;
    let access_expires_at = grant_ends(proof, offer.definition, offer.access_expires_at);
    let offer = Offer { role_name, message: offer.note, access_expires_at, expires_at };
    let outcomes = invitations::create_batch(&state.pool, proof, actor, &offer, batch, now)
        .await
        .or_internal("writing invitations")?;
    state.mail_queued.notify_one();
    let invited = outcomes.iter().filter(|(_, o)| *o == Outcome::Invited).count();
    tracing::info!(user_id = user.id, invited, role = %role_name, "invitations created");
    Ok(outcomes)
}

/// Invites `emails` into group `group` (its id and name) of the proof's organization, with
/// `note`: the caller was found allowed to put people in it.
#[cfg(feature = "ssr")]
pub(crate) async fn send_group_invitations(
    caller: &crate::server::authz::Caller,
    org: &crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
    (group_id, group): (i64, &str),
    note: &str,
    emails: &[crate::domain::Email],
) -> Result<Vec<(String, crate::server::db::invitations::Outcome)>, AppError> {
    use crate::server::db::group_invitations;
    use crate::server::db::invitations::Outcome;
    use crate::server::mail::compose::InvitedTo;

    let (state, user) = (&caller.state, caller.user());
    within_hourly_cap(state, org.target().id, emails.len())?;
    let now = state.clock.now();
    let expires_at = now + state.settings.invitation_days * 86_400;
    let to = InvitedTo::Group { group, organization: &org.target().name };
    let batch = prepare_batch(state, (&user.display_name, to, note), emails, expires_at)?;
    let written = group_invitations::create_batch(
        &state.pool,
        org,
        &caller.actor,
        group_id,
        (note, expires_at),
        batch,
        now,
    )
    .await;
    let outcomes = written.map_err(crate::api::groups::group_error)?;
    state.mail_queued.notify_one();
    let invited = outcomes.iter().filter(|(_, o)| *o == Outcome::Invited).count();
    tracing::info!(user_id = user.id, invited, group_id, "group invitations created");
    Ok(outcomes)
}

/// An organization's invitations are mail sent by this server: capped per hour, so the
/// instance cannot be made into a relay. Counts `count` more against the cap.
#[cfg(feature = "ssr")]
fn within_hourly_cap(
    state: &crate::server::state::AppState,
    organization_id: i64,
    count: usize,
) -> Result<(), AppError> {
    let batch_size = u32::try_from(count).unwrap_or(u32::MAX);
    let sent = crate::server::throttle::Kind::InvitationsSent;
    state.throttle.attempt_many(sent, &organization_id.to_string(), batch_size).map_err(|wait| {
        AppError::too_many(
            wait.0,
            format!(
                "This organization has sent as many invitations as it may for now. {}",
                wait.message().replace("Too many attempts. ", "")
            ),
        )
    })
}

/// A token and a sealed email for each of `emails`, from `inviter` offering `to` with `note`.
#[cfg(feature = "ssr")]
fn prepare_batch(
    state: &crate::server::state::AppState,
    (inviter, to, note): (&str, crate::server::mail::compose::InvitedTo<'_>, &str),
    emails: &[crate::domain::Email],
    expires_at: i64,
) -> Result<Vec<crate::server::db::invitations::Prepared>, AppError> {
    emails
        .iter()
        .map(|email| super::prepare(state, inviter, to, note, &email.key(), expires_at))
        .collect()
}
