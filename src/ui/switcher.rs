//! The workspace switcher in the header (seed 000: "select your workspace in the upper-right-hand
//! corner"): every workspace I can see, grouped by organization and resource group, with
//! type-to-filter. A `<details>` element, so it opens without JavaScript too; the filter is an
//! island.

use leptos::prelude::*;

use super::hydration::live_or_island;

use crate::api::workspaces::WorkspaceCard;

/// The switcher for the page at `path`.
#[component]
pub fn WorkspaceSwitcher(cards: Vec<WorkspaceCard>, path: String) -> impl IntoView {
    // Named only when it is one of mine: the URL alone proves nothing.
    let current_name = current_workspace(&path)
        .and_then(|(org, group, ws)| {
            cards.iter().find(|c| {
                c.organization_slug == org
                    && c.resource_group.eq_ignore_ascii_case(&group)
                    && c.name.eq_ignore_ascii_case(&ws)
            })
        })
        .map(|card| card.display_name.clone())
        .unwrap_or_else(|| "Select a workspace".to_owned());
    view! {
        <details class="switcher">
            <summary>
                <span class="muted small">"Workspace"</span>
                <span class="switcher-current">{current_name}</span>
            </summary>
            {live_or_island(|| switcher_panel(cards.clone()), || view! { <SwitcherPanel cards=cards.clone()/> })}
        </details>
    }
}

/// The panel: a filter over the workspaces, live as the person types.
#[island]
fn SwitcherPanel(cards: Vec<WorkspaceCard>) -> impl IntoView {
    switcher_panel(cards)
}

fn switcher_panel(cards: Vec<WorkspaceCard>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    view! {
        <div class="menu switcher-panel">
            <label class="visually-hidden" for="switcher-filter">"Filter workspaces"</label>
            <input
                id="switcher-filter"
                type="search"
                placeholder="Filter workspaces"
                autocomplete="off"
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <SwitcherList cards filter/>
            <p class="switcher-footer">
                <a href="/workspaces/new">"Create a workspace"</a>
            </p>
        </div>
    }
}

#[component]
fn SwitcherList(cards: Vec<WorkspaceCard>, filter: RwSignal<String>) -> impl IntoView {
    if cards.is_empty() {
        return view! { <p class="muted">"No workspaces yet."</p> }.into_any();
    }
    let mut groups: Vec<((String, String), Vec<WorkspaceCard>)> = Vec::new();
    let mut sorted = cards;
    sorted.sort_by(|a, b| {
        (&a.organization_name, &a.resource_group, &a.name).cmp(&(
            &b.organization_name,
            &b.resource_group,
            &b.name,
        ))
    });
    for card in sorted {
        let key = (card.organization_name.clone(), card.resource_group.clone());
        match groups.last_mut() {
            Some((last, items)) if *last == key => items.push(card),
            _ => groups.push((key, vec![card])),
        }
    }
    view! {
        <div class="switcher-groups">
            {groups
                .into_iter()
                .map(|((org, group), items)| {
                    let heading = format!("{org} › {group}");
                    let items = StoredValue::new(items);
                    let visible = move || {
                        let needle = filter.get().to_lowercase();
                        items
                            .get_value()
                            .into_iter()
                            .filter(|c| matches_filter(c, &needle))
                            .collect::<Vec<_>>()
                    };
                    view! {
                        <Show when=move || !visible().is_empty()>
                            <p class="switcher-heading">{heading.clone()}</p>
                            <ul>
                                {move || {
                                    visible()
                                        .into_iter()
                                        .map(|card| {
                                            view! {
                                                <li>
                                                    <a href=card.url()>
                                                        {card.display_name.clone()}
                                                        <span class="muted small">{format!(" {}", card.name)}</span>
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </ul>
                        </Show>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

fn matches_filter(card: &WorkspaceCard, needle: &str) -> bool {
    needle.is_empty()
        || [&card.display_name, &card.name, &card.resource_group, &card.organization_name]
            .iter()
            .any(|text| text.to_lowercase().contains(needle))
}

/// Organization, group and workspace in `/organizations/{o}/resourceGroups/{g}/workspaces/{w}/…`.
fn current_workspace(path: &str) -> Option<(String, String, String)> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["organizations", org, "resourceGroups", group, "workspaces", name, ..] => {
            Some(((*org).to_owned(), (*group).to_owned(), (*name).to_owned()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::current_workspace;

    #[test]
    fn the_current_workspace_comes_from_the_path() {
        assert_eq!(
            current_workspace("/organizations/c/resourceGroups/g/workspaces/detector/settings"),
            Some(("c".into(), "g".into(), "detector".into()))
        );
        assert_eq!(current_workspace("/organizations/c/resourceGroups/g"), None);
        assert_eq!(current_workspace("/"), None);
    }
}
