//! What a page render reads about its caller and its subject, read once and shared by every
//! server function the render runs: the signed-in person, the workspaces its paths name, the
//! person's role assignments in each organization, the run a run's page shows. Without it each
//! of a page's data loads read the session's user, the workspace, the assignments and the run
//! again.
//!
//! Only renders of pages (GET) get a memo: they read and do not change access, so what was true
//! at the start of the render is true at its end. A server function call (POST) may change
//! assignments and then explain them, so it always reads afresh; it is one operation, so it
//! loses nothing. Each memo lives for one request: a revocation takes effect on the next one.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::error::AppError;

type Entries = HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>;

#[derive(Clone, Default)]
pub struct RequestMemo(Arc<Mutex<Entries>>);

impl RequestMemo {
    /// Gives the request being set up a memo, when it renders a page.
    pub fn provide_for_page_renders() {
        let renders_page = leptos::prelude::use_context::<axum::http::request::Parts>()
            .is_some_and(|parts| parts.method == axum::http::Method::GET);
        if renders_page {
            leptos::prelude::provide_context(Self::default());
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // Entries are inserted whole, so a panic elsewhere cannot leave one half made.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The value of type `T` under `key` in this render's memo, loaded by `load` on first use;
/// outside a page render, `load`'s answer each time. A page's data loads run at the same time:
/// the first to ask loads, the others wait for its answer (a failed load is not kept, so the
/// next one tries again).
pub async fn memoized<T, F>(
    key: impl FnOnce() -> String,
    load: impl FnOnce() -> F,
) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: Future<Output = Result<T, AppError>>,
{
    let Some(memo) = leptos::prelude::use_context::<RequestMemo>() else {
        return load().await;
    };
    let cell: Arc<OnceCell<T>> = {
        let mut entries = memo.entries();
        let entry = entries
            .entry((TypeId::of::<T>(), key()))
            .or_insert_with(|| Arc::new(OnceCell::<T>::new()));
        match entry.clone().downcast::<OnceCell<T>>() {
            Ok(cell) => cell,
            // Keys are per type, so this cannot happen; loading afresh is still right.
            Err(_) => Arc::new(OnceCell::new()),
        }
    };
    cell.get_or_try_init(load).await.cloned()
}
