//! How an island gets what it shows first: its page loads it on the server and hands it to the
//! island as a prop, so that attaching the island in the browser needs nothing but the island's
//! own element.
//!
//! Why not a `Resource` inside the island: Leptos sends a resource's value beside the page under
//! a number, counted on the server across the whole page (with one page-wide flag saying whether
//! an island is being built) and in the browser across the islands only. Under load the two
//! counts drifted apart (seen: the server numbered an island's only resource 1, the browser
//! looked for 0), the island found no value, and attaching it failed ("hydration error …
//! expected a marker node", in browser tests on the Access control, admin and invitation
//! pages). Props travel in the island's own element and carry no such number.

use std::future::Future;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// `island(first)` once `load()` has answered: in a page part rendered on the server only, so
/// the load is awaited there before the page is sent (every route is `SsrMode::Async`). A
/// resource outside any island: the browser never looks for its value.
pub fn island_with<T, Fut, I>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    island: impl Fn(T) -> I + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
    I: IntoView + 'static,
{
    let first = Resource::new(|| (), move |_| load());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let island = island.clone();
                Suspend::new(async move { island(first.await) })
            }}
        </Suspense>
    }
}

/// What an island shows: `first` (its prop) at once, then `load(source())` again in the browser
/// whenever `source` changes (the versions of the island's own actions, a search box): a
/// `Resource` that starts with a value instead of a number (`Resource::new` is built the same
/// way, with the value it found under its number).
pub fn reloaded<T, S, Fut>(
    first: T,
    source: impl Fn() -> S + Send + Sync + 'static,
    load: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> AsyncDerived<T>
where
    T: Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    use leptos::reactive::graph::{Source, ToAnySubscriber};
    let source = ArcMemo::new(move |_| source());
    let fetch = {
        let source = source.clone();
        move || load(source.get())
    };
    // Starts ready: the first load runs only once `source` changes.
    let data = ArcAsyncDerived::new_with_manual_dependencies(Some(first), fetch, &source);
    source.with_untracked(|_| ());
    source.add_subscriber(data.to_any_subscriber());
    AsyncDerived::from(data)
}
