//! MLflow's error answers: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}` with the
//! HTTP status MLflow's server gives each code. Internal causes go to the log, not the body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::{AppError, ErrorKind};

#[derive(Debug)]
pub struct MlflowError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds before trying again, sent as `Retry-After` (the client waits and retries).
    retry_after: Option<u64>,
}

impl MlflowError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), retry_after: None }
    }

    /// Too many tries: MLflow's `REQUEST_LIMIT_EXCEEDED` with 429.
    pub fn too_many(seconds: u64, message: impl Into<String>) -> Self {
        let error = Self::new(StatusCode::TOO_MANY_REQUESTS, "REQUEST_LIMIT_EXCEEDED", message);
        Self { retry_after: Some(seconds), ..error }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", message)
    }

    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "RESOURCE_ALREADY_EXISTS", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message)
    }

    pub fn internal(what: &'static str, cause: impl std::fmt::Debug) -> Self {
        tracing::error!(error = ?cause, "{what} failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Something went wrong on the server; it has been logged.",
        )
    }

    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<AppError> for MlflowError {
    fn from(error: AppError) -> Self {
        let (status, code) = match error.kind {
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST"),
            ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "PERMISSION_DENIED"),
            ErrorKind::Unauthenticated => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
            ErrorKind::Invalid => (StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE"),
            ErrorKind::Conflict => (StatusCode::BAD_REQUEST, "RESOURCE_ALREADY_EXISTS"),
            ErrorKind::TooManyRequests => {
                return Self::too_many(error.retry_after.unwrap_or(1), error.message)
            }
            ErrorKind::Internal | ErrorKind::Unavailable => {
                (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR")
            }
        };
        let message = if error.kind == ErrorKind::NotFound {
            "No such workspace, or the token may not read it.".to_owned()
        } else {
            error.message
        };
        Self::new(status, code, message)
    }
}

impl IntoResponse for MlflowError {
    fn into_response(self) -> Response {
        let body = axum::Json(json!({ "error_code": self.code, "message": self.message }));
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// An address below a tracking URI that is no MLflow endpoint Atelier serves.
pub async fn unknown_endpoint(uri: axum::http::Uri) -> MlflowError {
    let path = crate::server::telemetry::loggable_path(uri.path());
    tracing::info!(%path, "unknown tracking endpoint");
    MlflowError::new(
        StatusCode::NOT_FOUND,
        "ENDPOINT_NOT_FOUND",
        "This MLflow endpoint is not served by Atelier's tracking API.",
    )
}

/// A tracking endpoint called with a method it does not take (`GET` of `runs/create`).
pub async fn wrong_method(method: axum::http::Method) -> MlflowError {
    MlflowError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "BAD_REQUEST",
        format!("This MLflow endpoint does not take {method} requests."),
    )
}
