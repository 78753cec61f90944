//! Forms posted by a browser without JavaScript. Leptos sends such a post back to the page it
//! came from (its `Referer`) and puts a failure in the address for the form to show; a success
//! leaves no trace there, so `server::plain_form_answers` adds `?done=` naming the server
//! function (read by `ui::form::action_done`). A page reached by a secret link sends no
//! `Referer`: its server functions answer through [`back`], naming the page themselves. An
//! answer that is the point of its form (a new token's secret) waits for the page in the
//! session: [`keep_answer`], [`KeptAnswer`].

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
    crate::server::plain_form_answers::send_back(segments, S::PATH, result.as_ref().err());
    result
}

/// The answer a form posted without JavaScript left for the page it was sent back to (kept
/// sealed in the session by [`keep_answer`]), taken as the page renders on the server: a new
/// token's secret, an invitation's link. The page shows it once; a script-driven form shows its
/// answer itself and leaves none.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KeptAnswer(Option<(String, String, String)>);

impl KeptAnswer {
    /// Takes the kept answer if one of the server functions at `paths` gave it (about `item`,
    /// when one is named): a page takes only what it shows, and leaves any other answer (kept
    /// for a page in another tab) where it is, unread and out of this page's HTML.
    pub async fn take_for(paths: Vec<&'static str>, item: Option<String>) -> Self {
        #[cfg(feature = "ssr")]
        {
            let wanted = |path: &str, about: &str| {
                paths.contains(&path) && item.as_deref().is_none_or(|item| item == about)
            };
            Self(crate::server::answer_once::take(wanted).await)
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = (paths, item);
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
