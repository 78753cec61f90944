//! A form posted as plain HTML (on an islands page every form outside an island is, and every
//! form is without JavaScript) that succeeds is sent back to its page by Leptos with no trace of
//! the success. This layer adds `?done=<server function>` to that redirect, as
//! `api::plain_form::back` does for its server functions, so the page can say it worked
//! (`ui::form::action_done`). Redirects elsewhere (a new workspace's page) and failures (which
//! Leptos carries as `__err`) pass unchanged.

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::api::plain_form::{back_to_page, same_page};

pub async fn mark_done(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let plain_form = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header_text(header::ACCEPT).is_some_and(|accept| accept.contains("text/html"));
    let (referer, server_fn) = (header_text(header::REFERER), request.uri().path().to_owned());
    let mut response = next.run(request).await;
    let (true, Some(referer)) = (plain_form && response.status().is_redirection(), referer) else {
        return response;
    };
    let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
    let answer = location
        .filter(|location| same_page(location, &referer))
        .and_then(|location| back_to_page(location, &server_fn))
        .and_then(|address| HeaderValue::from_str(&address).ok());
    if let Some(address) = answer {
        response.headers_mut().insert(header::LOCATION, address);
    }
    response
}
