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
        // An island provides `IsHydrating(true)` to everything beneath it; every page is an
        // islands page, so nothing outside an island is attached.
        use_context::<IsHydrating>().is_some_and(|hydrating| hydrating.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// `live()` where this part of the page comes alive anyway (inside an island); else `island()`,
/// the same part as an island of its own.
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::sync::Arc;

    use hydration_context::SsrSharedContext;
    use leptos::reactive::owner::Owner;

    use super::comes_alive;

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
}
