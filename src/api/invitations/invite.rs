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
    use super::{fields, place_of, prepare, InviteOutcome};
    use crate::api::access::{grantable_role, roles_assignable_at};
    use crate::authz::Action;
    use crate::domain::invitation::{AddressList, InvitationNote};
    use crate::domain::{Invalid, ScopePath};
    use crate::server::db::invitations::{self, Offer, Outcome};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::InvitationsWrite).await?;
    // Inviting hands out a role assignment: the same rule as granting one directly.
    if !proof.permits(Action::RoleAssignmentsWrite) {
        return Err(AppError::new(
            crate::error::ErrorKind::Forbidden,
            "Your role here does not allow giving roles, so you cannot invite.",
        ));
    }
    let list =
        AddressList::check(&emails).map_err(|e| AppError::invalid_field(fields::EMAILS, e))?;
    let note =
        InvitationNote::parse(&note).map_err(|e| AppError::invalid_field(fields::NOTE, e))?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, &role)?;
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
    let expires_at = now + state.settings.invitation_days * 86_400;
    let place = place_of(proof.target());
    let mut batch = Vec::new();
    for email in &list.valid {
        batch.push(prepare(
            &state,
            &user.display_name,
            &place,
            &definition.name,
            note.as_str(),
            &email.key(),
            expires_at,
        )?);
    }
    let actor = audit::actor(&user).await;
    let offer = Offer {
        role_name: &definition.name,
        message: note.as_str(),
        access_expires_at,
        expires_at,
    };
    let outcomes = invitations::create_batch(&state.pool, &proof, &actor, &offer, batch, now)
        .await
        .or_internal("writing invitations")?;
    state.mail_queued.notify_one();
    let invited = outcomes.iter().filter(|(_, o)| *o == Outcome::Invited).count();
    tracing::info!(user_id = user.id, invited, role = %definition.name, "invitations created");
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
