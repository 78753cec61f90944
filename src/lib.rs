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

/// Entry point of the browser bundle, called by the page's script. Every page is an islands
/// page: the server-rendered page is the page, and only its islands (`#[island]` components:
/// what reacts to typing, pointing, time or a form's answer) come alive, each from the props
/// the server wrote beside it. Leptos' island script attaches them after this call.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands are attached in the promise jobs that follow this call; a zero-delay task
    // runs after them. `data-hydrated` is a marker for people and browser tests alike: the page
    // is now interactive.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body())
            {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
