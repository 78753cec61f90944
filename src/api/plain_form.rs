//! Forms posted by a browser without JavaScript. Leptos sends such a post back to the page it
//! came from (its `Referer`) and puts a failure in the address for the form to show; a success
//! leaves no trace there, so `server::plain_form_answers` adds `?done=` naming the server
//! function (read by `ui::form::action_done`). A page reached by a secret link sends no
//! `Referer`: its server functions answer through [`back`], naming the page themselves.

/// The query parameter naming the server function a form without JavaScript just completed.
pub const DONE: &str = "done";

/// Answers `result` of server function `S`, posted from the page at `segments` (`["confirm",
/// token]` for `/confirm/{token}`, escaped here), which sends no `Referer`. When a plain form
/// posted it, the browser is sent back there, carrying the outcome in its address.
#[cfg(feature = "ssr")]
pub fn back<S, T>(
    segments: &[&str],
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError>
where
    S: leptos::server_fn::ServerFn,
{
    if !crate::server::answer_once::posted_by_plain_form() {
        return result;
    }
    if let Some(address) = address(at(segments), S::PATH, result.as_ref().err()) {
        leptos_axum::redirect(&address);
    }
    result
}

/// The answer a form posted without JavaScript left for the page it was sent back to (kept
/// sealed in the session by [`keep_answer`]), taken as the page renders on the server: a new
/// token's secret, an invitation's link. The page shows it once; a script-driven form shows its
/// answer itself and leaves none.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KeptAnswer(Option<(String, String, String)>);

impl KeptAnswer {
    pub async fn take() -> Self {
        #[cfg(feature = "ssr")]
        {
            Self(crate::server::answer_once::take().await)
        }
        #[cfg(not(feature = "ssr"))]
        {
            Self(None)
        }
    }

    /// The answer of server function `S`, if it is the one kept, with the item it was about.
    pub fn of<S>(&self) -> Option<(String, S::Output)>
    where
        S: leptos::server_fn::ServerFn,
        S::Output: serde::de::DeserializeOwned,
    {
        let (path, item, json) = self.0.as_ref()?;
        (path == S::PATH).then(|| serde_json::from_str(json).ok().map(|v| (item.clone(), v)))?
    }

    /// The answer of `S` about `item` only.
    pub fn of_item<S>(&self, item: &str) -> Option<S::Output>
    where
        S: leptos::server_fn::ServerFn,
        S::Output: serde::de::DeserializeOwned,
    {
        self.of::<S>().filter(|(about, _)| about == item).map(|(_, answer)| answer)
    }
}

/// Secrets may be in it.
impl std::fmt::Debug for KeptAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.0.as_ref().map(|(path, ..)| path);
        f.debug_struct("KeptAnswer").field("path", &path).finish_non_exhaustive()
    }
}

/// Keeps `answer`, the answer of server function `S` about `item` (empty when its page has
/// one such form), for the page a plain form post goes back to (see [`KeptAnswer`]).
#[cfg(feature = "ssr")]
pub async fn keep_answer<S>(item: &str, answer: &S::Output)
where
    S: leptos::server_fn::ServerFn,
    S::Output: serde::Serialize,
{
    crate::server::answer_once::keep(S::PATH, item, answer).await
}

/// Whether redirect `location` goes back to the page `referer` named (any earlier outcome in
/// either address aside), with no failure to carry.
#[cfg(feature = "ssr")]
pub fn same_page(location: &str, referer: &str) -> bool {
    let (Ok(location), Ok(referer)) = (SITE.join(location), SITE.join(referer)) else {
        return false;
    };
    let failed = location.query_pairs().any(|(key, _)| key == "__err");
    !failed && location.path() == referer.path() && kept_query(&location) == kept_query(&referer)
}

/// `location` (a page of this site) told that server function `path` succeeded.
#[cfg(feature = "ssr")]
pub fn back_to_page(location: &str, path: &str) -> Option<String> {
    address(SITE.join(location).ok()?, path, None)
}

/// Resolves the addresses of this site's pages; only their paths and queries are used.
#[cfg(feature = "ssr")]
static SITE: std::sync::LazyLock<url::Url> =
    std::sync::LazyLock::new(|| url::Url::parse("http://site.invalid/").expect("a valid base"));

#[cfg(feature = "ssr")]
fn at(segments: &[&str]) -> url::Url {
    let mut url = SITE.clone();
    url.path_segments_mut().expect("a base with a path").pop_if_empty().extend(segments);
    url
}

/// `page` told how server function `path` went: its earlier outcome replaced by this one.
/// Only the path and query: a forged `Referer` cannot send anyone to another site.
#[cfg(feature = "ssr")]
fn address(
    mut page: url::Url,
    path: &str,
    error: Option<&crate::error::AppError>,
) -> Option<String> {
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
#[cfg(feature = "ssr")]
fn kept_query(page: &url::Url) -> Vec<(String, String)> {
    page.query_pairs()
        .filter(|(key, _)| !matches!(key.as_ref(), "__path" | "__err" | DONE))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

#[cfg(all(test, feature = "ssr"))]
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
