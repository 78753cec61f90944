//! Who calls the management API: the bearer of an access token (with its reach and read-only
//! limits), or else the person signed in to the studio in this browser (the cross-site check in
//! front of the API refuses what another site's page sends).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::ApiError;
use crate::error::{AppError, ErrorKind};
use crate::server::access_tokens::{self, AuthError, Refusal};
use crate::server::auth::user_of_session;
use crate::server::authz::{Caller, Principal};
use crate::server::db::audit::Actor;
use crate::server::error::internal;
use crate::server::state::AppState;

/// The authenticated caller of an API route.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (client_address, header) = access_tokens::credentials_of(parts);
        let principal = match access_tokens::authenticate(state, header, &client_address).await {
            Ok(principal) => principal,
            Err(AuthError::Refused(Refusal::Missing)) => session_principal(parts, state).await?,
            Err(AuthError::Refused(Refusal::Invalid)) => {
                return Err(unauthenticated(
                    "The access token is not valid: it may have been revoked or have expired.",
                ))
            }
            Err(AuthError::Throttled(wait)) => {
                return Err(ApiError(AppError::too_many(wait.0, wait.message())))
            }
            Err(AuthError::Database(e)) => return Err(ApiError(internal("checking a token", e))),
        };
        let actor = Actor {
            user_id: Some(principal.user.id),
            name: principal.user.display_name.clone(),
            client_address,
        };
        Ok(Self(Caller { state: state.clone(), principal, actor }))
    }
}

/// The studio's signed-in person, when the request carries their session cookie.
async fn session_principal(parts: &mut Parts, state: &AppState) -> Result<Principal, ApiError> {
    let missing = || {
        unauthenticated(
            "Send an access token (Authorization: Bearer atl_…; make one on the Access tokens \
             page), or sign in to the studio in this browser.",
        )
    };
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        return Err(missing());
    };
    let user = user_of_session(state, &session).await?.ok_or_else(missing)?;
    Ok(Principal::unlimited(user))
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError(AppError::new(ErrorKind::Unauthenticated, message))
}
