use leptos::prelude::*;

use super::environment_badge::EnvironmentBadge;
use super::format::date;
use crate::api::workspaces::WorkspaceCard;

/// Workspaces as cards: name, where it lives, environment, my role, last activity.
#[component]
pub fn WorkspaceCards(cards: Vec<WorkspaceCard>) -> impl IntoView {
    view! {
        <ul class="card-grid">
            {cards
                .into_iter()
                .map(|card| {
                    view! {
                        <li class="workspace-card">
                            <a class="card-title" href=card.url()>{card.display_name.clone()}</a>
                            <p class="muted card-path">
                                {format!("{} › {} › {}", card.organization_name, card.resource_group, card.name)}
                            </p>
                            <p class="card-meta">
                                <EnvironmentBadge environment=card.environment/>
                                <span class="role">{card.roles.join(", ")}</span>
                            </p>
                            <p class="muted small">"Last activity " {date(card.last_activity_at)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
