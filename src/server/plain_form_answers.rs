//! A form posted as plain HTML (on an islands page every form outside an island is, and every
//! form is without JavaScript) that succeeds is sent back to its page by Leptos with no trace of
//! the success. This layer adds `?done=<server function>` to that redirect, as
//! `send_back` does for the pages reached by secret links, so the page can say it worked
//! (`ui::form::action_done`). Redirects elsewhere (a new workspace's page) and failures (which
//! Leptos carries as `__err`) pass unchanged.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::plain_form::DONE;
use crate::error::AppError;

pub async fn mark_done(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let plain_form = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && accepts_html(headers);
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

/// Whether this request is a browser's plain form post (which Leptos answers with a redirect
/// back to the page) rather than a script's call.
pub fn posted_by_plain_form() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|request| accepts_html(&request.headers))
}

/// A browser posting a form asks for a page; a script's call asks for data.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Sends a plain form's post of server function `path` back to the page at `segments`
/// (`["confirm", token]` for `/confirm/{token}`, escaped here), which sends no `Referer`,
/// carrying its outcome in the address. A script's call is answered as it is.
pub fn send_back(segments: &[&str], path: &str, error: Option<&AppError>) {
    if !posted_by_plain_form() {
        return;
    }
    if let Some(address) = address(at(segments), path, error) {
        leptos_axum::redirect(&address);
    }
}

/// Whether redirect `location` goes back to the page `referer` named (any earlier outcome in
/// either address aside), with no failure to carry.
fn same_page(location: &str, referer: &str) -> bool {
    let (Ok(location), Ok(referer)) = (SITE.join(location), SITE.join(referer)) else {
        return false;
    };
    let failed = location.query_pairs().any(|(key, _)| key == "__err");
    !failed && location.path() == referer.path() && kept_query(&location) == kept_query(&referer)
}

/// `location` (a page of this site) told that server function `path` succeeded.
fn back_to_page(location: &str, path: &str) -> Option<String> {
    address(SITE.join(location).ok()?, path, None)
}

/// Resolves the addresses of this site's pages; only their paths and queries are used.
static SITE: std::sync::LazyLock<url::Url> =
    std::sync::LazyLock::new(|| url::Url::parse("http://site.invalid/").expect("a valid base"));

fn at(segments: &[&str]) -> url::Url {
    let mut url = SITE.clone();
    url.path_segments_mut().expect("a base with a path").pop_if_empty().extend(segments);
    url
}

/// `page` told how server function `path` went: its earlier outcome replaced by this one.
/// Only the path and query: a forged `Referer` cannot send anyone to another site.
fn address(mut page: url::Url, path: &str, error: Option<&AppError>) -> Option<String> {
    use leptos::server_fn::error::ServerFnUrlError;

    let kept = kept_query(&page);
    page.set_query(None);
    if !kept.is_empty() {
        page.query_pairs_mut().extend_pairs(kept);
    }
    let page = match error {
        None => {
            page.query_pairs_mut().append_pair(DONE, path);
            page
        }
        Some(error) => ServerFnUrlError::new(path, error.clone()).to_url(page.as_str()).ok()?,
    };
    Some(page[url::Position::BeforePath..].to_owned())
}

/// The query of `page` without an earlier outcome.
fn kept_query(page: &url::Url) -> Vec<(String, String)> {
    page.query_pairs()
        .filter(|(key, _)| !matches!(key.as_ref(), "__path" | "__err" | DONE))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AppError, ErrorKind};

    #[test]
    fn a_success_replaces_the_earlier_outcome_and_keeps_the_rest_of_the_address() {
        let page =
            SITE.join("http://127.0.0.1:3000/account?tab=a&__path=/api/x&__err=e30").unwrap();
        let back = address(page, "/api/account/rename", None).unwrap();
        assert_eq!(back, "/account?tab=a&done=%2Fapi%2Faccount%2Frename");
        let again = address(SITE.join(&back).unwrap(), "/api/account/rename", None).unwrap();
        assert_eq!(again, back, "one outcome at a time");
    }

    #[test]
    fn a_failure_is_carried_as_leptos_reads_it() {
        let page = SITE.join("/account/sessions?done=%2Fapi%2Fsessions%2Fend").unwrap();
        let error = AppError::new(ErrorKind::Invalid, "No.");
        let back = address(page, "/api/sessions/end", Some(&error)).unwrap();
        assert!(back.starts_with("/account/sessions?__path=%2Fapi%2Fsessions%2Fend&__err="));
        assert!(!back.contains("done="), "{back}");
    }

    #[test]
    fn a_plain_form_sent_back_to_its_page_is_told_it_worked() {
        let referer = "http://127.0.0.1:3000/orgs/c?tab=a&done=%2Fapi%2Fold";
        assert!(same_page("http://127.0.0.1:3000/orgs/c?tab=a", referer));
        assert!(!same_page("/orgs/c/resourceGroups/g", referer), "a redirect elsewhere stays");
        assert!(
            !same_page("/orgs/c?tab=a&__path=%2Fapi%2Fx&__err=e30", referer),
            "a failure stays"
        );
        assert_eq!(
            back_to_page("http://127.0.0.1:3000/orgs/c?tab=a", "/api/x").unwrap(),
            "/orgs/c?tab=a&done=%2Fapi%2Fx"
        );
    }

    #[test]
    fn a_link_token_stays_one_segment_of_this_site() {
        let back = address(at(&["confirm", "a/../b?c#d"]), "/api/auth/confirm_address", None);
        assert_eq!(
            back.unwrap(),
            "/confirm/a%2F..%2Fb%3Fc%23d?done=%2Fapi%2Fauth%2Fconfirm_address"
        );
        let elsewhere = SITE.join("https://elsewhere.example/path?q=1").unwrap();
        assert_eq!(address(elsewhere, "/api/x", None).unwrap(), "/path?q=1&done=%2Fapi%2Fx");
        assert_eq!(
            address(at(&["confirm", ".."]), "/api/x", None).unwrap(),
            "/confirm?done=%2Fapi%2Fx"
        );
    }
}
