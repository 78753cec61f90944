//! Atelier: a self-hosted, multi-tenant workspace for machine-learning teams.
//!
//! One crate, two builds: `ssr` (the axum server) and `hydrate` (the WASM browser bundle).
//! `domain`, `error`, `api` and `ui` are shared; `server` exists only in the server build.

pub mod api;
pub mod app;
pub mod authz;
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

/// Entry point of the browser bundle: attaches the app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for people and browser tests alike: the page is now interactive.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
