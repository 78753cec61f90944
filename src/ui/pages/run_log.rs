//! A run's log, followed while the run is queued or running: the browser asks for what came
//! after the last chunk it has every two seconds, and stops when the run ends or the person
//! turns following off. The run's status it learns is shared with the page (its charts follow
//! the run's metrics while it is active).

use leptos::prelude::*;

use crate::api::runs::{LogChunkView, LogsView};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::RunStatus;

#[component]
pub fn RunLog(
    ws: WorkspaceCrumbs,
    run: String,
    initial: LogsView,
    /// The run's status, kept up to date here as the log is followed.
    status: RwSignal<RunStatus>,
) -> impl IntoView {
    let chunks = RwSignal::new(initial.chunks);
    let follow = RwSignal::new(true);
    let active = move || !status.get().is_final();
    let following = Signal::derive(move || follow.get());
    poll_while_following(ws, run, chunks, status, following);
    let text = move || chunks.with(|c| c.iter().map(|c| c.body.as_str()).collect::<String>());
    view! {
        <section class="panel">
            <div class="section-heading">
                <h2>"Log"</h2>
                <Show when=active>
                    <label class="inline-check">
                        <input type="checkbox" checked=true prop:checked=move || follow.get() on:change=move |ev| follow.set(event_target_checked(&ev))/>
                        "Follow while running"
                    </label>
                </Show>
            </div>
            <pre class="run-log" aria-live="polite">
                {move || {
                    let t = text();
                    if t.is_empty() { "Nothing logged yet.".to_owned() } else { t }
                }}
            </pre>
        </section>
    }
}

/// In the browser: fetches new chunks every two seconds while following an active run.
fn poll_while_following(
    ws: WorkspaceCrumbs,
    run: String,
    chunks: RwSignal<Vec<LogChunkView>>,
    status: RwSignal<RunStatus>,
    follow: Signal<bool>,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::runs::run_logs;
        use std::time::Duration;
        let in_flight = StoredValue::new(false);
        let tick = move || {
            if !follow.get_untracked() || status.get_untracked().is_final() || in_flight.get_value()
            {
                return;
            }
            in_flight.set_value(true);
            let after = chunks.with_untracked(|c| c.last().map_or(0, |c| c.seq));
            let (ws, run) = (ws.clone(), run.clone());
            leptos::task::spawn_local(async move {
                if let Ok(more) = run_logs(ws.path(), run, after).await {
                    if !more.chunks.is_empty() {
                        chunks.update(|c| c.extend(more.chunks));
                    }
                    status.set(more.status);
                }
                in_flight.set_value(false);
            });
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(2)) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ws, run, chunks, status, follow);
}
