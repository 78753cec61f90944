//! The headers every response carries against other sites and injected content. Pages get a
//! Content-Security-Policy naming the nonce their one inline script (the hydration loader)
//! carries, so no other inline script runs; everything else (JSON, downloads of users' files)
//! gets a policy that runs nothing at all. No response names the server's software.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Paths whose address carries a secret token (invitation, confirmation, reset, setup links).
pub const SECRET_LINK_PREFIXES: &[&str] = &["/invite/", "/setup/", "/confirm/", "/reset-password/"];

/// The policy of a rendered page whose inline script carries `nonce`. WebAssembly needs
/// `wasm-unsafe-eval` to compile; `strict-dynamic` lets the loader import the app's module.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of anything that is not a page: nothing in it may run, even if a browser is
/// made to open it as HTML (an uploaded `.html` output, say).
const INERT_POLICY: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/// Adds the headers; `https` says whether the site is served over TLS (then HSTS too).
pub async fn add_security_headers(https: bool, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.remove(header::SERVER);
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(INERT_POLICY));
    }
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer_policy(&path)));
    // Pages and answers are made for the person asking: no shared cache keeps them, and a
    // browser asks again before showing one (the site's own files set their own policy).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// A secret link's page sends no `Referer` at all. The sign-in and sign-up pages such a link
/// leads to carry the token in their address too; they send it only to this site (their forms
/// need it to come back with an error when the browser runs no JavaScript). Other pages send
/// only the origin to other sites.
fn referrer_policy(path: &str) -> &'static str {
    if SECRET_LINK_PREFIXES.iter().any(|prefix| path.starts_with(prefix)) {
        "no-referrer"
    } else if path == "/sign-up" || path == "/sign-in" {
        "same-origin"
    } else {
        "strict-origin-when-cross-origin"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_links_send_no_referrer() {
        assert_eq!(referrer_policy("/invite/abc"), "no-referrer");
        assert_eq!(referrer_policy("/setup/abc"), "no-referrer");
        assert_eq!(referrer_policy("/sign-in"), "same-origin");
        assert_eq!(referrer_policy("/organizations"), "strict-origin-when-cross-origin");
    }

    #[test]
    fn a_page_policy_allows_only_its_nonce_and_no_inline_style() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("object-src 'none'") && policy.contains("base-uri 'none'"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
