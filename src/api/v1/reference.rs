//! The API's human-readable reference: Swagger UI from npm's `swagger-ui-dist`, copied into the
//! site by the build and served by Atelier, so it works without internet access.

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// Scripts from this site only; Swagger UI sets styles inline.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub async fn page() -> Response {
    let html = Html(concat!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>Atelier API reference</title>",
        "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">",
        "<link rel=\"stylesheet\" href=\"/api-reference/swagger-ui.css\">",
        "</head><body><div id=\"reference\"></div>",
        "<script src=\"/api-reference/swagger-ui-bundle.js\"></script>",
        "<script src=\"/api-reference/init.js\"></script>",
        "</body></html>"
    ));
    let mut response = html.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    response
}
