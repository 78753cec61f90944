//! `/admin/outbox`: every message Atelier sent or would have sent, for the instance admin.
//! Without a mail server this is where invitation emails can be read.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::instance::{outbox, OutboxView};
use crate::ui::error_view::loaded;
use crate::ui::format::date_time;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| outbox());
    view! {
        <Title text="Outbox"/>
        <div class="page">
            <h1>"Outbox"</h1>
            <p class="muted">"Every email, newest first, as it was or would have been sent."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(messages.await, |view| view! { <Messages view/> })
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Messages(view: OutboxView) -> impl IntoView {
    let OutboxView { mail_configured, messages } = view;
    if messages.is_empty() {
        return view! { <p class="empty-state">"No email yet."</p> }.into_any();
    }
    messages
        .into_iter()
        .map(|m| {
            let state = match (m.state.as_str(), m.attempts) {
                ("sent", _) => format!("Sent {}", m.sent_at.map(date_time).unwrap_or_default()),
                ("failed", n) => format!("Failed after {n} attempts: {}", m.last_error),
                ("discarded", _) => "Not sent: replaced or withdrawn".to_owned(),
                (_, 0) if !mail_configured => "Not sent: no mail server is configured".to_owned(),
                (_, 0) => "Queued".to_owned(),
                (_, n) => format!("Retrying after {n} failed attempts: {}", m.last_error),
            };
            view! {
                <article class="panel mail">
                    <h2 class="mail-subject">{m.subject}</h2>
                    <p class="muted small">{format!("To {} · {} · {}", m.recipient, date_time(m.created_at), state)}</p>
                    <pre class="mail-body">{m.text}</pre>
                </article>
            }
        })
        .collect_view()
        .into_any()
}
