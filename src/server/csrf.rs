//! Refuses state-changing requests that a browser sent on behalf of another site. Browsers label
//! every request with `Sec-Fetch-Site` and, for POSTs, `Origin`; a request without either did not
//! come from a browser page, so it cannot carry a victim's cookies by accident.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) || is_same_site(&state, &request) {
        next.run(request).await
    } else {
        let path = super::telemetry::loggable_path(request.uri().path());
        tracing::warn!(method = %request.method(), %path, "cross-site request refused");
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_site(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        // "none" is a navigation the person started themselves (address bar, bookmark).
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let matches_base_url = state
        .settings
        .base_url
        .as_ref()
        .is_some_and(|base| base.origin().ascii_serialization() == origin);
    let matches_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|host| origin.split_once("://").map(|(_, rest)| rest == host))
        .unwrap_or(false);
    matches_base_url || matches_host
}
