//! The management API's errors: a JSON body with a stable `code` scripts can test, a message
//! written for people (the studio's own), and the field at fault when one is. Internal causes
//! stay in the server's log, as for the studio.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, ErrorKind};

/// What went wrong.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable across releases: `invalid`, `unauthenticated`, `forbidden`, `not_found`,
    /// `conflict`, `too_many_requests`, `internal`, `unavailable`.
    #[schema(example = "invalid")]
    pub code: String,
    /// For people; may change between releases.
    pub message: String,
    /// The request field the error belongs to, when one is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An [`AppError`] answered as JSON with its HTTP status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl ApiError {
    pub fn invalid(field: Option<&str>, message: impl Into<String>) -> Self {
        let mut error = AppError::new(ErrorKind::Invalid, message);
        error.field = field.map(str::to_owned);
        Self(error)
    }
}

pub fn code_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Invalid => "invalid",
        ErrorKind::Unauthenticated => "unauthenticated",
        ErrorKind::Forbidden => "forbidden",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Conflict => "conflict",
        ErrorKind::TooManyRequests => "too_many_requests",
        ErrorKind::Internal => "internal",
        ErrorKind::Unavailable => "unavailable",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let AppError { kind, message, field, retry_after } = self.0;
        let status =
            StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody { code: code_of(kind).to_owned(), message, field };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if kind == ErrorKind::Unauthenticated {
            let challenge = HeaderValue::from_static("Bearer realm=\"atelier\"");
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// Any `/api/v1` address no route serves.
pub async fn unknown_route() -> ApiError {
    ApiError(AppError::new(
        ErrorKind::NotFound,
        "No such API route: see /api/v1/openapi.json for the routes there are.",
    ))
}
