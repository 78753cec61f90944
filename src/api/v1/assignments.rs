//! Role assignments at a scope: list those that apply there (made there or inherited, and to
//! whom: a person, a group or a service principal), give a role (seed 003's `workspace share`:
//! a member is granted it, anyone else invited), remove one.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::api::access::{self as service, GrantOutcome};
use crate::domain::service_principal::ServicePrincipalName;
use crate::domain::ScopePath;
use crate::server::error::OrInternal;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assignments, create_assignment))
        .routes(routes!(delete_assignment))
}

#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// `/organizations/{org}`, `…/resourceGroups/{group}` or `…/workspaces/{workspace}`
    /// (Azure's `/subscriptions/…` form works too).
    #[param(example = "/organizations/contoso/resourceGroups/vision/workspaces/detector")]
    pub scope: String,
}

/// Who an assignment is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalType {
    User,
    Group,
    ServicePrincipal,
}

/// A role held at a scope.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleAssignment {
    pub id: i64,
    pub role: String,
    /// Where it was made.
    pub scope: String,
    /// Made above the scope asked about, and holding there by inheritance.
    pub inherited: bool,
    pub principal_type: PrincipalType,
    /// The person's or service principal's address, or the group's name.
    pub principal: String,
    pub display_name: String,
    /// When time-boxed access ends (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// For a group: the addresses of those in it, who hold the role through it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held_by: Vec<String>,
}

/// A role to give at a scope, to exactly one of a person (by address), a group (by name) or
/// a service principal (by name).
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    pub scope: String,
    #[schema(example = "Data Scientist")]
    pub role: String,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub service_principal: Option<String>,
}

/// What giving the role did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The principal holds the role now.
    Granted,
    /// The address belongs to no member of the organization: it was sent an invitation, and
    /// gets the role on accepting it.
    Invited,
    /// Invited before, and not yet answered.
    AlreadyInvited,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Given {
    pub outcome: Outcome,
    /// When the grant ends, if it is time-boxed (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The role assignments that apply at a scope, by id.
#[utoipa::path(get, path = "/roleAssignments", tag = "Role assignments",
    params(ScopeQuery, PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<RoleAssignment>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_assignments(
    ApiCaller(caller): ApiCaller,
    Query(scope): Query<ScopeQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<RoleAssignment>>, ApiError> {
    let (proof, rows) = service::applying_at(&caller, &scope.scope).await?;
    // Who holds each group's role through it.
    let mut held_by = if rows.iter().any(|row| row.group_id.is_some()) {
        crate::server::db::groups::holders_at(caller.pool(), &proof)
            .await
            .or_internal("listing group members")?
    } else {
        Default::default()
    };
    let chain = proof.target().chain_paths();
    let here = proof.target().scope_ref();
    let items = rows
        .into_iter()
        .map(|row| {
            let made_at = chain.iter().find(|(r, _)| *r == row.scope).map(|(_, p)| p.clone());
            let principal_type = match (row.group_id, row.service_principal) {
                (Some(_), _) => PrincipalType::Group,
                (None, true) => PrincipalType::ServicePrincipal,
                (None, false) => PrincipalType::User,
            };
            RoleAssignment {
                id: row.id,
                role: row.role_name,
                scope: made_at.unwrap_or(ScopePath::Root).to_string(),
                inherited: row.scope != here,
                principal: if principal_type == PrincipalType::Group {
                    row.display_name.clone()
                } else {
                    row.email
                },
                principal_type,
                display_name: row.display_name,
                expires_at: row.expires_at,
                held_by: row.group_id.and_then(|id| held_by.remove(&id)).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Json(paginate(items, |a: &RoleAssignment| format!("{:020}", a.id), &page)?))
}

/// Gives a role at a scope. A person who is not a member of the organization (or has no
/// account) is invited instead, with the same answer either way.
#[utoipa::path(post, path = "/roleAssignments", tag = "Role assignments",
    request_body = NewAssignment,
    responses(
        (status = 201, description = "Created", body = Given),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_assignment(
    ApiCaller(caller): ApiCaller,
    Body(new): Body<NewAssignment>,
) -> Result<(StatusCode, Json<Given>), ApiError> {
    let given = match (&new.user, &new.group, &new.service_principal) {
        (Some(email), None, None) => {
            outcome(service::grant(&caller, &new.scope, email, &new.role).await?)
        }
        (None, Some(group), None) => Given {
            outcome: Outcome::Granted,
            expires_at: service::grant_group(&caller, &new.scope, group, &new.role).await?,
        },
        (None, None, Some(name)) => {
            let identity = service_principal_identity(&new.scope, name)?;
            outcome(service::grant(&caller, &new.scope, &identity, &new.role).await?)
        }
        _ => {
            return Err(ApiError::invalid(
                None,
                "Name exactly one of user (an address), group or service_principal.",
            ))
        }
    };
    Ok((StatusCode::CREATED, Json(given)))
}

/// Removes an assignment made at `scope` (the one its listing gives). Access ends on the
/// principal's next request. Needs `roleAssignments/write` and `roleAssignments/delete`.
#[utoipa::path(delete, path = "/roleAssignments/{id}", tag = "Role assignments",
    params(("id" = i64, Path), ScopeQuery),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn delete_assignment(
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    Query(scope): Query<ScopeQuery>,
) -> Result<StatusCode, ApiError> {
    service::remove(&caller, &scope.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn outcome(outcome: GrantOutcome) -> Given {
    match outcome {
        GrantOutcome::Granted { expires_at } => Given { outcome: Outcome::Granted, expires_at },
        GrantOutcome::Invited => Given { outcome: Outcome::Invited, expires_at: None },
        GrantOutcome::AlreadyInvited => {
            Given { outcome: Outcome::AlreadyInvited, expires_at: None }
        }
    }
}

/// The address a service principal is given roles by, in the scope's organization.
fn service_principal_identity(scope: &str, name: &str) -> Result<String, ApiError> {
    let field = Some("service_principal");
    let name = ServicePrincipalName::parse(name).map_err(|e| ApiError::invalid(field, e.0))?;
    let path = ScopePath::parse(scope).map_err(|e| ApiError::invalid(Some("scope"), e.0))?;
    let org = path
        .organization()
        .ok_or_else(|| ApiError::invalid(Some("scope"), "Name a scope inside an organization."))?;
    Ok(name.identity(org))
}
