use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What granting a role by email did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantOutcome {
    /// A member of the organization holds the role now; given by time-boxed access, only until
    /// `expires_at`.
    Granted { expires_at: Option<i64> },
    /// Anyone else, whether or not the address has an account here: invited, and given the role
    /// on accepting.
    Invited,
    /// Anyone else, invited here before and not yet answered.
    AlreadyInvited,
}

/// Gives `role` at `scope` to the member of the organization (a person holding a role in it whose
/// address is confirmed, or one of its service principals) with `email`. Anyone else, an
/// unconfirmed member included, is sent an invitation instead, with
/// the same answer whether or not the address has an account on the instance: no one learns
/// who has an account, or puts someone into their organization without their consent.
#[server(endpoint = "access/grant")]
pub async fn grant_role(
    scope: String,
    email: String,
    role: String,
) -> Result<GrantOutcome, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let outcome = grant(&caller, &scope, &email, &role).await?;
    crate::api::plain_form::keep_answer::<GrantRole>("", &outcome).await;
    Ok(outcome)
}

/// Gives `role` at `scope` to the member with `email`, or invites the address: the studio's
/// form, the API and `atl workspace share` alike.
#[cfg(feature = "ssr")]
pub(crate) async fn grant(
    caller: &crate::server::authz::Caller,
    scope: &str,
    email: &str,
    role: &str,
) -> Result<GrantOutcome, AppError> {
    use super::{change_error, fields};
    use crate::api::invitations::{send_invitations, RoleOffer};
    use crate::authz::Action;
    use crate::domain::{Email, ScopePath};
    use crate::server::authz::giving::grantable_role;
    use crate::server::authz::giving::{grant_ends, roles_assignable_at};
    use crate::server::db::invitations::Outcome;
    use crate::server::db::{members, role_assignments};
    use crate::server::{authz, error::OrInternal};

    let (state, user) = (&caller.state, caller.user());
    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, Action::RoleAssignmentsWrite).await?;
    let email = Email::parse(email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, role, fields::ROLE)?;
    let org = proof.target().organization().id;
    let member = members::grantee_by_email(&state.pool, org, &email)
        .await
        .or_internal("finding a member")?;
    let Some(member) = member else {
        let proof = authz::also(proof, Action::InvitationsWrite)?;
        let offer = RoleOffer { definition: &definition, note: "", access_expires_at: None };
        let outcomes =
            send_invitations(state, (user, &caller.actor), &proof, &offer, &[email]).await?;
        return match outcomes.first().map(|(_, outcome)| outcome) {
            Some(Outcome::Invited) => Ok(GrantOutcome::Invited),
            Some(Outcome::AlreadyInvited) => Ok(GrantOutcome::AlreadyInvited),
            // Became a member meanwhile and holds it: as for a member.
            Some(Outcome::AlreadyHasRole) | None => {
                Err(change_error(role_assignments::ChangeError::AlreadyAssigned))
            }
        };
    };
    let expires_at = grant_ends(&proof, &definition, None);
    let role = (definition.name.as_str(), expires_at);
    role_assignments::add(&state.pool, &proof, &caller.actor, member.user_id, role)
        .await
        .map_err(change_error)?;
    tracing::info!(user_id = user.id, grantee = member.user_id, role = %definition.name, "role granted");
    Ok(GrantOutcome::Granted { expires_at })
}
