//! Invitations at a scope: invite addresses to a role, list those pending, send one again (a
//! new link), revoke one. Inviting into a group is the group's route
//! (`/organizations/{org}/groups/{group}/invitations`); its invitations are listed, resent and
//! revoked here, at the organization.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::assignments::ScopeQuery;
use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::api::invitations::{self as service, Delivery, InviteOutcome};
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invitations, create_invitations))
        .routes(routes!(revoke_invitation))
        .routes(routes!(resend_invitation))
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    /// The role it offers at the scope; null for an invitation into a group.
    pub role: Option<String>,
    /// The group it offers a place in (made at the group's organization); null for an
    /// invitation to a role.
    pub group: Option<String>,
    pub invited_by: String,
    /// Unix seconds.
    pub sent_at: i64,
    /// When the link stops working.
    pub expires_at: i64,
    pub expired: bool,
    /// When the access it gives ends, if it is time-boxed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_expires_at: Option<i64>,
    /// `no_mail_server` (copy the link in the studio), `queued`, `retrying`, `sent` or
    /// `failed` (resend it).
    pub delivery: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitations {
    pub scope: String,
    /// Up to 50 addresses.
    pub emails: Vec<String>,
    pub role: String,
    /// A few words for the email.
    #[serde(default)]
    pub note: String,
    /// The last day of the access it gives (YYYY-MM-DD); no end when absent.
    #[serde(default)]
    pub access_ends_on: Option<String>,
}

/// What became of one address.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Invited {
    pub email: String,
    /// `invited`, `already_has_role`, `already_invited` or `invalid`; inviting into a group,
    /// `added` (a member of the organization, put in the group at once) or `already_member`
    /// instead of `already_has_role`.
    pub outcome: String,
    /// Why an address was not invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The invitations made at a scope and not yet answered, by id.
#[utoipa::path(get, path = "/invitations", tag = "Invitations", params(ScopeQuery, PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<Invitation>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_invitations(
    ApiCaller(caller): ApiCaller,
    Query(scope): Query<ScopeQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Invitation>>, ApiError> {
    let items = service::pending_at(&caller, &scope.scope)
        .await?
        .into_iter()
        .map(|i| Invitation {
            id: i.id,
            email: i.email,
            role: i.role,
            group: i.group,
            invited_by: i.inviter,
            sent_at: i.sent_at,
            expires_at: i.expires_at,
            expired: i.expired,
            access_expires_at: i.access_expires_at,
            delivery: match i.delivery {
                Delivery::NoMailServer => "no_mail_server",
                Delivery::Queued => "queued",
                Delivery::Retrying { .. } => "retrying",
                Delivery::Sent => "sent",
                Delivery::Failed { .. } => "failed",
            }
            .to_owned(),
        })
        .collect();
    Ok(Json(paginate(items, |i: &Invitation| format!("{:020}", i.id), &page)?))
}

/// Invites addresses to a role at a scope; one answer per address.
#[utoipa::path(post, path = "/invitations", tag = "Invitations", request_body = NewInvitations,
    responses(
        (status = 201, description = "Created", body = Vec<Invited>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn create_invitations(
    ApiCaller(caller): ApiCaller,
    Body(new): Body<NewInvitations>,
) -> Result<(StatusCode, Json<Vec<Invited>>), ApiError> {
    let emails = new.emails.join("\n");
    let ends = new.access_ends_on.as_deref().unwrap_or("");
    let results =
        service::invite_at(&caller, &new.scope, &emails, &new.role, &new.note, ends).await?;
    Ok((StatusCode::CREATED, Json(answers(results))))
}

/// The API's answer for each address of a batch.
pub(super) fn answers(results: Vec<service::InviteResult>) -> Vec<Invited> {
    results
        .into_iter()
        .map(|r| {
            let (outcome, reason) = match r.outcome {
                InviteOutcome::Invited => ("invited", None),
                InviteOutcome::AlreadyHasRole => ("already_has_role", None),
                InviteOutcome::AlreadyInvited => ("already_invited", None),
                InviteOutcome::Invalid(why) => ("invalid", Some(why)),
                InviteOutcome::Added => ("added", None),
                InviteOutcome::AlreadyInGroup => ("already_member", None),
            };
            Invited { email: r.email, outcome: outcome.to_owned(), reason }
        })
        .collect()
}

/// Revokes a pending invitation made at `scope`: its link stops working.
#[utoipa::path(delete, path = "/invitations/{id}", tag = "Invitations",
    params(("id" = i64, Path), ScopeQuery),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn revoke_invitation(
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    Query(scope): Query<ScopeQuery>,
) -> Result<StatusCode, ApiError> {
    service::revoke(&caller, &scope.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a pending invitation again with a new link (the old one stops working) and a fresh
/// expiry.
#[utoipa::path(post, path = "/invitations/{id}/resend", tag = "Invitations",
    params(("id" = i64, Path), ScopeQuery),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn resend_invitation(
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    Query(scope): Query<ScopeQuery>,
) -> Result<StatusCode, ApiError> {
    service::resend(&caller, &scope.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
