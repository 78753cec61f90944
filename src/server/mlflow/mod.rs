//! The MLflow tracking REST API, one per workspace, at the address Azure Machine Learning gives
//! its workspaces (`{base}/mlflow/v1.0/subscriptions/{org}/resourceGroups/{group}/providers/
//! Microsoft.MachineLearningServices/workspaces/{workspace}`), so an unmodified `mlflow` client
//! pointed there logs runs the studio shows. Callers authenticate with an access token only
//! (bearer, or basic with the token as password): a browser's session cookie is not looked at,
//! so no page of another site can make a signed-in browser write here. Each handler asks the
//! same choke point as the studio (`server::authz`) for the action it performs.

mod artifacts;
pub mod endpoints;
mod error;
mod experiments;
pub mod filter;
mod logged_model_search;
mod logged_model_wire;
mod logged_models;
mod query;
mod registry;
mod run_query;
mod runs;
mod search;
mod wire;

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::routing::{delete, get, patch, post};
use axum::Router;

pub use artifacts::UPLOAD_LIMIT as ARTIFACT_LIMIT;
pub use error::MlflowError;

use super::access_tokens::{self, AuthError, Refusal};
use super::authz::{self, Authorized, Deleted, Principal};
use super::db::audit::Actor;
use super::db::scopes::WorkspaceScope;
use super::state::AppState;
use crate::authz::Action;
use crate::domain::WorkspacePath;

/// Where a workspace's tracking API lives, below the server's base address.
pub const BASE: &str = "/mlflow/v1.0/subscriptions/{org}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}";

/// A workspace's tracking URI, as the client is given it.
pub fn tracking_uri(base_url: &str, org: &str, group: &str, workspace: &str) -> String {
    format!(
        "{}/mlflow/v1.0/subscriptions/{org}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}",
        base_url.trim_end_matches('/')
    )
}

/// JSON bodies: a log-batch of MLflow's largest (1,000 metrics, 100 params and tags with
/// values of 6,000 characters) is about 1.5 MB.
pub const JSON_LIMIT: usize = 4 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    let api = |path: &str| format!("{BASE}/api/2.0/mlflow/{path}");
    Router::new()
        .route(&api("experiments/create"), post(experiments::create))
        .route(&api("experiments/get"), get(experiments::get))
        .route(&api("experiments/get-by-name"), get(experiments::get_by_name))
        .route(&api("experiments/search"), post(experiments::search).get(experiments::search_get))
        .route(&api("experiments/update"), post(experiments::update))
        .route(&api("experiments/delete"), post(experiments::delete))
        .route(&api("experiments/restore"), post(experiments::restore))
        .route(&api("experiments/set-experiment-tag"), post(experiments::set_tag))
        .route(&api("experiments/delete-experiment-tag"), post(experiments::delete_tag))
        .route(&api("runs/create"), post(runs::create))
        .route(&api("runs/get"), get(runs::get))
        .route(&api("runs/update"), post(runs::update))
        .route(&api("runs/delete"), post(runs::delete))
        .route(&api("runs/restore"), post(runs::restore))
        .route(&api("runs/log-metric"), post(runs::log_metric))
        .route(&api("runs/log-parameter"), post(runs::log_param))
        .route(&api("runs/log-batch"), post(runs::log_batch))
        .route(&api("runs/set-tag"), post(runs::set_tag))
        .route(&api("runs/delete-tag"), post(runs::delete_tag))
        .route(&api("runs/log-inputs"), post(runs::log_inputs))
        .route(&api("runs/search"), post(search::search_runs))
        .route(&api("metrics/get-history"), get(runs::metric_history))
        .route(&api("runs/outputs"), post(logged_models::log_outputs))
        .route(&api("logged-models"), post(logged_models::create))
        .route(&api("logged-models/search"), post(logged_model_search::search))
        .route(
            &api("logged-models/{model_id}"),
            get(logged_models::get).patch(logged_models::finalize).delete(logged_models::delete),
        )
        .route(&api("logged-models/{model_id}/tags"), patch(logged_models::set_tags))
        .route(&api("logged-models/{model_id}/tags/{tag_key}"), delete(logged_models::delete_tag))
        .route(&api("logged-models/{model_id}/params"), post(logged_models::log_params))
        .route(&api("registered-models/create"), post(registry::create_model))
        .route(&api("registered-models/get"), get(registry::get_model))
        .route(&api("registered-models/rename"), post(registry::rename_model))
        .route(&api("registered-models/update"), patch(registry::update_model))
        .route(&api("registered-models/delete"), delete(registry::delete_model))
        .route(&api("registered-models/search"), get(registry::search_models))
        .route(&api("registered-models/get-latest-versions"), post(registry::latest_versions))
        .route(&api("registered-models/set-tag"), post(registry::set_model_tag))
        .route(&api("registered-models/delete-tag"), delete(registry::delete_model_tag))
        .route(
            &api("registered-models/alias"),
            post(registry::set_alias)
                .delete(registry::delete_alias)
                .get(registry::version_by_alias),
        )
        .route(&api("model-versions/create"), post(registry::create_version))
        .route(&api("model-versions/get"), get(registry::get_version))
        .route(&api("model-versions/update"), patch(registry::update_version))
        .route(&api("model-versions/delete"), delete(registry::delete_version))
        .route(&api("model-versions/search"), get(registry::search_versions))
        .route(&api("model-versions/get-download-uri"), get(registry::download_uri_of))
        .route(&api("model-versions/transition-stage"), post(registry::transition_stage))
        .route(&api("model-versions/set-tag"), post(registry::set_version_tag))
        .route(&api("model-versions/delete-tag"), delete(registry::delete_version_tag))
        .route(&format!("{BASE}/api/2.0/mlflow-artifacts/artifacts"), get(artifacts::list))
        .route(
            &format!("{BASE}/api/2.0/mlflow-artifacts/artifacts/{{*path}}"),
            get(artifacts::download).put(artifacts::upload),
        )
        .route(&format!("{BASE}/{{*rest}}"), axum::routing::any(error::unknown_endpoint))
        .method_not_allowed_fallback(error::wrong_method)
        .layer(axum::extract::DefaultBodyLimit::max(artifacts::UPLOAD_LIMIT))
}

/// An authenticated caller of a workspace's tracking API: who (with the token's limits), from
/// where, and which workspace the address names. Authorization happens per action.
pub struct Caller {
    pub state: AppState,
    pub principal: Principal,
    workspace: WorkspacePath,
    client_address: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = MlflowError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, MlflowError> {
        // PostgreSQL keeps no NUL in text, so an address that decodes to one names nothing.
        if encodes_nul(parts.uri.path()) || parts.uri.query().is_some_and(encodes_nul) {
            return Err(MlflowError::invalid("An address cannot hold NUL characters (%00)."));
        }
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| MlflowError::not_found("No such workspace."))?;
        let part = |key: &str| params.get(key).cloned().unwrap_or_default();
        let workspace = WorkspacePath::new(part("org"), part("group"), part("workspace"));
        let (client_address, header) = access_tokens::credentials_of(parts);
        let principal = match access_tokens::authenticate(state, header, &client_address).await {
            Ok(principal) => principal,
            Err(AuthError::Refused(Refusal::Missing)) => return Err(MlflowError::unauthenticated(
                "Send an access token: set MLFLOW_TRACKING_TOKEN (or MLFLOW_TRACKING_PASSWORD) \
                     to a token from the Tokens page.",
            )),
            Err(AuthError::Refused(Refusal::Invalid)) => {
                return Err(MlflowError::unauthenticated(
                    "The access token is not valid: it may have been revoked or have expired.",
                ))
            }
            Err(AuthError::Throttled(wait)) => {
                return Err(MlflowError::too_many(wait.0, wait.message()))
            }
            Err(AuthError::Database(e)) => {
                return Err(MlflowError::internal("checking a token", e))
            }
        };
        Ok(Self { state: state.clone(), principal, workspace, client_address })
    }
}

impl Caller {
    /// The caller's proof for `action` on the workspace the address names; what the token may
    /// not read answers RESOURCE_DOES_NOT_EXIST, like what does not exist.
    pub async fn workspace(
        &self,
        action: Action,
    ) -> Result<Authorized<WorkspaceScope>, MlflowError> {
        authz::workspace_as(
            &self.state.pool,
            &self.principal,
            &self.workspace,
            action,
            Deleted::Excluded,
        )
        .await
        .map_err(MlflowError::from)
    }

    /// Who is acting, for the activity log.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.principal.user.id),
            name: self.principal.user.display_name.clone(),
            client_address: self.client_address.clone(),
        }
    }
}

/// Whether a part of an address decodes to a NUL character (a raw one is no valid URI).
fn encodes_nul(raw: &str) -> bool {
    raw.contains("%00")
}

/// A JSON request body, refused with MLflow's error when it is not the JSON asked for: sent as
/// something else (a `Content-Type` other than JSON; none is taken as JSON), too large, not
/// JSON, of the wrong shape, or holding text with a NUL character (which PostgreSQL refuses).
pub struct JsonBody<T>(pub T);

/// Whether a `Content-Type` names JSON: `application/json` or `application/…+json`, with
/// parameters or without.
fn names_json(content_type: &axum::http::HeaderValue) -> bool {
    let media = content_type.to_str().unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

/// Whether JSON holds a string (or a key) with a NUL character.
fn holds_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(holds_nul),
        serde_json::Value::Object(map) => {
            map.iter().any(|(key, value)| key.contains('\0') || holds_nul(value))
        }
        _ => false,
    }
}

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for JsonBody<T> {
    type Rejection = MlflowError;

    async fn from_request(
        request: axum::extract::Request,
        _state: &AppState,
    ) -> Result<Self, MlflowError> {
        let content_type = request.headers().get(axum::http::header::CONTENT_TYPE);
        if content_type.is_some_and(|kind| !names_json(kind)) {
            return Err(MlflowError::invalid(
                "Bad Request. Content-Type must be application/json.",
            ));
        }
        let bytes = axum::body::to_bytes(request.into_body(), JSON_LIMIT).await.map_err(|_| {
            MlflowError::invalid("The request body is too large (at most 4 MB of JSON).")
        })?;
        let text: &[u8] = if bytes.is_empty() { b"{}" } else { &bytes };
        let malformed =
            |e: serde_json::Error| MlflowError::invalid(format!("Malformed request body: {e}"));
        let body = serde_json::from_slice(text).map_err(malformed)?;
        // The fields read are valid; so must the rest be, which reading them skips unchecked
        // (invalid UTF-8, lone surrogates, numbers out of range, nesting past 128 levels).
        let whole: serde_json::Value = serde_json::from_slice(text).map_err(malformed)?;
        if holds_nul(&whole) {
            return Err(MlflowError::invalid(
                "Text in a request cannot hold NUL characters (\\u0000).",
            ));
        }
        Ok(JsonBody(body))
    }
}
