//! The "Activity" panel of an item's page.

use leptos::prelude::*;

use crate::api::item_activity::ItemEvent;
use crate::ui::format::date_time;

#[component]
pub fn ItemActivity(events: Vec<ItemEvent>) -> impl IntoView {
    let list = if events.is_empty() {
        view! { <p class="muted">"Nothing recorded yet."</p> }.into_any()
    } else {
        view! {
            <ol class="item-activity">
                {events
                    .into_iter()
                    .map(|e| view! {
                        <li>
                            <span class="muted small">{date_time(e.at)}</span>
                            " " <strong>{e.actor}</strong> " " {e.what}
                        </li>
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="panel item-activity-panel">
            <h2>"Activity"</h2>
            {list}
        </section>
    }
}
