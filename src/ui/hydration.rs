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

/// The pages that still hydrate as one app (`*` stands for one segment): each has a form whose
/// answer the page shows from the action's value (a new token's secret, an invitation's link,
/// a grant's outcome, credentials read with the reading then in the page's activity) or a form
/// that changes as it is filled, not yet an island. Every other
/// page is an islands page. The islands made so far (fields that check as they are typed, the
/// switcher, charts, a followed run's log, copy buttons, the traffic split, the role editor, the
/// accounts search) render live inside these pages.
const WHOLE_APP_PAGES: &[&str] = &[
    "/organizations/*/access",
    "/organizations/*/service-principals",
    "/organizations/*/resourceGroups/*/access",
    "/organizations/*/resourceGroups/*/workspaces/*/access",
    "/organizations/*/resourceGroups/*/workspaces/*/datastores/*",
    "/organizations/*/resourceGroups/*/workspaces/*/models/*",
];

/// Whether the page at `path` still hydrates as one app (see [`WHOLE_APP_PAGES`]).
pub fn hydrates_whole(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    WHOLE_APP_PAGES.iter().any(|pattern| {
        let pattern: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        pattern.len() == segments.len()
            && pattern.iter().zip(&segments).all(|(p, s)| *p == "*" || p == s)
    })
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
    fn pages_not_yet_converted_hydrate_whole() {
        assert!(!hydrates_whole("/workspaces/new"));
        assert!(!hydrates_whole("/organizations/c/resourceGroups/g/workspaces/w/runs"));
        assert!(!hydrates_whole("/tokens/"));
        assert!(hydrates_whole("/organizations/c/service-principals/"));
        assert!(hydrates_whole("/organizations/c/resourceGroups/g/workspaces/w/access"));
        assert!(hydrates_whole("/organizations/c/resourceGroups/g/workspaces/w/models/m"));
        assert!(!hydrates_whole("/organizations/c/resourceGroups/g/workspaces/w/models"));
    }
}
