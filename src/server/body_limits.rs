//! How large a request body each route takes. Signing in, signing up and following a link
//! need a few hundred bytes and are open to anyone, so they take little; forms take a little
//! more; only the server functions that carry a file (base64 in a form) take the upload size.
//! A body announced larger is refused before it is read; one that grows past its limit while
//! being read fails there, so nothing larger is ever held.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, ErrorKind};

/// Open routes: sign-in, sign-up, invitation links.
pub const OPEN: usize = 16 * 1024;
/// Every other form.
pub const FORM: usize = 1024 * 1024;
/// Server functions that carry a file: a 30 MB file is 40 MB in base64.
pub const UPLOAD: usize = 40 * 1024 * 1024;

/// Server functions anyone may call without signing in.
const OPEN_ROUTES: &[&str] = &["/api/auth/", "/api/invitations/landing"];
/// Server functions whose forms carry a file.
const UPLOAD_ROUTES: &[&str] = &[
    "/api/runs/upload_output",
    "/api/runs/upload_snapshot",
    "/api/datasets/register",
    "/api/models/register",
];

/// The body limit for a request to `path`.
pub fn limit_for(path: &str) -> usize {
    if OPEN_ROUTES.iter().any(|prefix| path.starts_with(prefix)) {
        OPEN
    } else if UPLOAD_ROUTES.contains(&path) {
        UPLOAD
    } else {
        FORM
    }
}

pub async fn limit_bodies(request: Request, next: Next) -> Response {
    let limit = limit_for(request.uri().path());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return too_large(limit);
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

fn too_large(limit: usize) -> Response {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{} KB", limit / 1024)
    };
    let error = AppError::new(
        ErrorKind::Invalid,
        format!("The request is too large: this form takes at most {size}."),
    );
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_routes_take_little_and_uploads_much() {
        assert_eq!(limit_for("/api/auth/sign_in"), OPEN);
        assert_eq!(limit_for("/api/auth/sign_up"), OPEN);
        assert_eq!(limit_for("/api/invitations/landing"), OPEN);
        assert_eq!(limit_for("/api/runs/upload_output"), UPLOAD);
        assert_eq!(limit_for("/api/runs/upload_output_and_more"), FORM);
        assert_eq!(limit_for("/api/roles/save"), FORM);
        assert_eq!(limit_for("/organizations"), FORM);
    }
}
