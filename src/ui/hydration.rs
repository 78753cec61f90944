//! Which parts of a page come alive in the browser. Pages are rendered on the server; only
//! islands (`#[island]` components) are attached in the browser, each from its own props.
//! A component that is interactive when it runs in the browser asks [`comes_alive`] whether it
//! will: if not (a page part rendered only on the server), it puts what must react into an
//! island of its own instead.

/// Whether what is being rendered here will be attached in the browser: always in the browser
/// itself, and on the server inside an island.
pub fn comes_alive() -> bool {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::*;
        use leptos::reactive::owner::IsHydrating;
        // An island provides `IsHydrating(true)` to everything beneath it; outside islands the
        // render's shared context says whether the page hydrates as a whole (it does not since
        // the switch to islands, but a page without the island script would).
        use_context::<IsHydrating>().map(|hydrating| hydrating.0).unwrap_or_else(|| {
            Owner::current_shared_context().is_none_or(|context| context.get_is_hydrating())
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// `live()` where this part of the page comes alive anyway (a page that hydrates as one app, or
/// inside an island); else `island()`, the same part as an island of its own. A page that
/// hydrates as one app must not contain islands: Leptos 0.8 loses its place in the page after
/// an island's element when it hydrates the rest.
pub fn live_or_island<L: leptos::prelude::IntoView, I: leptos::prelude::IntoView>(
    live: impl FnOnce() -> L,
    island: impl FnOnce() -> I,
) -> leptos::prelude::AnyView {
    use leptos::prelude::IntoAny;
    if comes_alive() {
        live().into_any()
    } else {
        island().into_any()
    }
}

/// The pages served as islands pages so far (paths, exact). The rest still hydrate as one app
/// while their interactive parts become islands: the islands already made (fields that check
/// as they are typed, the switcher, charts, a followed run's log, copy buttons, the traffic
/// split, the role editor, the accounts search) work inside a whole-app page too.
const ISLANDS_PAGES: &[&str] = &["/workspaces/new"];

/// Whether the page at `path` still hydrates as one app (its interactive parts are not all
/// islands yet).
pub fn hydrates_whole(path: &str) -> bool {
    !ISLANDS_PAGES.contains(&path.trim_end_matches('/'))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::sync::Arc;

    use hydration_context::SsrSharedContext;
    use leptos::reactive::owner::Owner;

    use super::{comes_alive, hydrates_whole};

    #[test]
    fn on_an_islands_page_only_what_is_inside_an_island_comes_alive() {
        let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
        owner.with(|| {
            assert!(!comes_alive(), "a page part outside islands is rendered on the server only");
            // As `#[island]` renders one: in an owner of its own, marked as hydrating.
            let inside = Owner::new().with(|| Owner::with_hydration(comes_alive));
            assert!(inside, "an island and what is beneath it come alive");
            assert!(!comes_alive(), "and the page around it still does not");
        });
    }

    #[test]
    fn on_a_whole_app_page_everything_comes_alive() {
        let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
        owner.with(|| assert!(comes_alive()));
    }

    #[test]
    fn converted_pages_are_islands_pages() {
        assert!(!hydrates_whole("/workspaces/new"));
        assert!(!hydrates_whole("/workspaces/new/"));
        assert!(hydrates_whole("/organizations"));
    }
}
