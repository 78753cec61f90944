//! Your access tokens: list, create (the secret answered once), revoke. A token making a token
//! cannot make one reaching further, writing when it only reads, or outliving it.

use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::body::{Body, Path, Query};
use super::caller::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::page::{paginate, Page, PageQuery};
use crate::api::tokens as service;
use crate::server::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tokens, create_token)).routes(routes!(revoke_token))
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Token {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, to tell tokens apart.
    pub hint: String,
    /// `everything`, or the path of the organization or workspace it is limited to.
    pub reach: String,
    pub read_only: bool,
    /// Unix seconds.
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<i64>,
    pub last_used_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
    /// Neither revoked nor ended.
    pub active: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    #[schema(example = "nightly training")]
    pub name: String,
    /// `everything` (the default), `/organizations/{org}` or a workspace's path.
    #[serde(default)]
    pub reach: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    /// The last day it works (YYYY-MM-DD, UTC; at most a year ahead); no end when absent.
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// A new token and its secret, shown this once.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    pub name: String,
    /// `atl_` and 40 letters and digits. Atelier keeps only its hash.
    pub secret: String,
}

/// Your tokens, newest first.
#[utoipa::path(get, path = "/tokens", tag = "Access tokens", params(PageQuery),
    responses(
        (status = 200, description = "The answer", body = Page<Token>),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
    ))]
async fn list_tokens(
    ApiCaller(caller): ApiCaller,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Token>>, ApiError> {
    let now = caller.state.clock.now();
    let items = service::mine(&caller).await?.into_iter().map(|t| token(t, now)).collect();
    Ok(Json(newest_first(items, &page)?))
}

/// A page of tokens, newest first (ids grow, so the key counts down).
pub(super) fn newest_first(items: Vec<Token>, page: &PageQuery) -> Result<Page<Token>, ApiError> {
    paginate(items, |t: &Token| format!("{:020}", i64::MAX - t.id), page)
}

/// A stored token as the API shows it (never its secret, which is not kept).
pub(super) fn token(t: crate::server::db::access_tokens::TokenRecord, now: i64) -> Token {
    Token {
        active: t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now),
        id: t.id,
        name: t.name,
        hint: t.hint,
        reach: if t.reach_path.is_empty() { "everything".to_owned() } else { t.reach_path },
        read_only: t.read_only,
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        last_used_from: t.last_used_from,
        revoked_at: t.revoked_at,
    }
}

/// Makes a token acting as you with your roles, cut down to its reach and, if asked, to
/// reading.
#[utoipa::path(post, path = "/tokens", tag = "Access tokens", request_body = NewToken,
    responses(
        (status = 201, description = "Created", body = CreatedToken),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
    ))]
async fn create_token(
    ApiCaller(caller): ApiCaller,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let reach = new.reach.as_deref().unwrap_or(crate::api::tokens::EVERYTHING);
    let ends_on = new.ends_on.as_deref().unwrap_or("");
    let created = service::create(&caller, &new.name, reach, new.read_only, ends_on).await?;
    let created = CreatedToken { name: created.name, secret: created.secret };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes one of your tokens: its next request is refused.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "Access tokens",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Refused input; `field` names the part at fault", body = ErrorBody), (status = 401, description = "No valid access token or signed-in session", body = ErrorBody),
        (status = 403, description = "Your role, or your token, does not allow this", body = ErrorBody), (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ))]
async fn revoke_token(
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    service::revoke(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
