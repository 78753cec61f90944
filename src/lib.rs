//! Atelier: a self-hosted, multi-tenant workspace for machine-learning teams.
//!
//! One crate, two builds: `ssr` (the axum server) and `hydrate` (the WASM browser bundle).
//! `domain`, `error`, `api` and `ui` are shared; `server` exists only in the server build.

// Islands wrap views in one more layer of types; deep pages need more than the default 128.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod authz;
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

/// Entry point of the browser bundle, called by the page's script. Most pages are islands
/// pages (`<body data-islands>`): the server-rendered page is the page, and only its islands
/// (`#[island]` components: what reacts to typing, pointing or time) come alive, each from the
/// props the server wrote beside it; Leptos' island script attaches them after this call. The
/// pages not converted yet (`ui::hydration::hydrates_whole`) hydrate as one app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
    let mark_hydrated = move || {
        // A marker for people and browser tests alike: the page is now interactive.
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.set_attribute("data-hydrated", "");
        }
    };
    if body.is_some_and(|body| body.has_attribute("data-islands")) {
        leptos::mount::hydrate_islands();
        // The islands are attached in the promise jobs that follow this call; a zero-delay task
        // runs after them.
        leptos::prelude::set_timeout(mark_hydrated, std::time::Duration::ZERO);
    } else {
        leptos::mount::hydrate_body(app::App);
        mark_hydrated();
    }
}
