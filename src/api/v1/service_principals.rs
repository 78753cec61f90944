//! An organization's service principals (accounts for pipelines and CI) and their tokens. They
//! get roles through `/roleAssignments` with `service_principal`.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use super::tokens::{newest_first, token, CreatedToken, Token};
use crate::api::service_principals as service;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_principals, create_principal))
        .routes(routes!(delete_principal))
        .routes(routes!(list_principal_tokens, create_principal_token))
        .routes(routes!(revoke_principal_token))
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ServicePrincipal {
    pub name: String,
    /// What roles are given to: `{name}@{org}.service-principals.invalid`.
    pub identity: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Role assignments it holds in the organization.
    pub role_assignments: i64,
    pub active_tokens: i64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServicePrincipal {
    /// 1–64 letters, digits, `-`, `_`, `.`; unique in the organization.
    #[schema(example = "nightly-ci")]
    pub name: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPrincipalToken {
    pub name: String,
    /// `/organizations/{org}` (the default) or one of its workspaces' paths.
    #[serde(default)]
    pub reach: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    /// The last day it works (YYYY-MM-DD, UTC).
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// The organization's service principals, by name.
#[utoipa::path(get, path = "/organizations/{organization}/servicePrincipals",
    tag = "Service principals", params(("organization" = String, Path, example = "contoso"), PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<ServicePrincipal>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_principals(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<ServicePrincipal>>, ApiError> {
    let (_, listed) = service::principals_of(&caller, &organization).await?;
    let items = listed
        .into_iter()
        .map(|l| ServicePrincipal {
            name: l.principal.name,
            identity: l.principal.identity,
            created_at: l.principal.created_at,
            role_assignments: l.roles,
            active_tokens: l.active_tokens,
        })
        .collect();
    Ok(Json(paginate(items, |p: &ServicePrincipal| p.name.to_lowercase(), &page)?))
}

/// Creates a service principal (needs `roleAssignments/write`); it holds no role yet.
#[utoipa::path(post, path = "/organizations/{organization}/servicePrincipals",
    tag = "Service principals", request_body = NewServicePrincipal,
    params(("organization" = String, Path, example = "contoso")),
    responses(
        (status = 201, description = "Created", body = ServicePrincipal),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn create_principal(
    ApiCaller(caller): ApiCaller,
    Path(organization): Path<String>,
    Body(new): Body<NewServicePrincipal>,
) -> Result<(StatusCode, Json<ServicePrincipal>), ApiError> {
    let (_, created) = service::create(&caller, &organization, &new.name).await?;
    let principal = ServicePrincipal {
        name: created.name,
        identity: created.identity,
        created_at: created.created_at,
        role_assignments: 0,
        active_tokens: 0,
    };
    Ok((StatusCode::CREATED, Json(principal)))
}

/// Deletes a service principal: its roles go and its tokens are revoked at once (refused
/// while it is the last Owner somewhere). Needs `roleAssignments/write` and `/delete`.
#[utoipa::path(delete, path = "/organizations/{organization}/servicePrincipals/{name}",
    tag = "Service principals",
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "nightly-ci")),
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Clashes with what is already there", body = ErrorBody),
    ))]
async fn delete_principal(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    service::delete(&caller, &organization, &name, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A service principal's tokens, newest first.
#[utoipa::path(get, path = "/organizations/{organization}/servicePrincipals/{name}/tokens",
    tag = "Service principals",
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "nightly-ci"), PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<Token>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn list_principal_tokens(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Token>>, ApiError> {
    let (_, _, tokens) = service::tokens_of(&caller, &organization, &name).await?;
    let now = caller.state.clock.now();
    let items = tokens.into_iter().map(|t| token(t, now)).collect();
    Ok(Json(newest_first(items, &page)?))
}

/// Makes a token acting for the service principal, reaching its organization or one of its
/// workspaces; the secret is answered this once.
#[utoipa::path(post, path = "/organizations/{organization}/servicePrincipals/{name}/tokens",
    tag = "Service principals", request_body = NewPrincipalToken,
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "nightly-ci")),
    responses(
        (status = 201, description = "Created", body = CreatedToken),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn create_principal_token(
    ApiCaller(caller): ApiCaller,
    Path((organization, name)): Path<(String, String)>,
    Body(new): Body<NewPrincipalToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let default_reach = format!("/organizations/{organization}");
    let reach = new.reach.as_deref().unwrap_or(&default_reach);
    let ends_on = new.ends_on.as_deref().unwrap_or("");
    let made = (new.name.as_str(), reach, new.read_only, ends_on);
    let created = service::create_token(&caller, &organization, &name, made).await?;
    let created = CreatedToken { name: created.name, secret: created.secret };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes one of the service principal's tokens.
#[utoipa::path(delete, path = "/organizations/{organization}/servicePrincipals/{name}/tokens/{id}",
    tag = "Service principals",
    params(("organization" = String, Path, example = "contoso"), ("name" = String, Path, example = "nightly-ci"), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn revoke_principal_token(
    ApiCaller(caller): ApiCaller,
    Path((organization, name, id)): Path<(String, String, i64)>,
) -> Result<StatusCode, ApiError> {
    service::revoke_token(&caller, &organization, &name, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
