//! A scope's activity log: every change here and below, newest first, filterable by person,
//! action and time, paged, and exportable as JSON lines. The filters are a GET form, so a
//! filtered view is a link that can be shared.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::scope_params::scope_from_params;
use crate::api::access::{activity_log, ActivityPage};
use crate::domain::ScopePath;
use crate::ui::error_view::loaded;
use crate::ui::format::{date, date_time, epoch_from_date, query_value as encode};

#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    actor: String,
    action: String,
    since: String,
    until: String,
    before: Option<i64>,
}

impl Filters {
    /// The query string for these filters, with `before` for paging.
    fn query(&self, before: Option<i64>) -> String {
        let mut pairs = vec![
            ("actor", self.actor.clone()),
            ("action", self.action.clone()),
            ("since", self.since.clone()),
            ("until", self.until.clone()),
        ];
        if let Some(id) = before {
            pairs.push(("before", id.to_string()));
        }
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[component]
pub fn ActivityLogPage() -> impl IntoView {
    let scope = scope_from_params();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let get = |k| q.get(k).unwrap_or_default();
        Filters {
            actor: get("actor"),
            action: get("action"),
            since: get("since"),
            until: get("until"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    });
    let page = Resource::new(
        move || (scope.get(), filters.get()),
        |(scope, f)| {
            // `until` is inclusive of its whole day.
            let until = epoch_from_date(&f.until).map(|t| t + 86_400);
            activity_log(
                scope.to_string(),
                f.actor,
                f.action,
                epoch_from_date(&f.since),
                until,
                f.before,
            )
        },
    );
    view! {
        <div class="page">
            <Title text=move || format!("Activity log · {}", scope.get().label())/>
            <h1>"Activity log"</h1>
            <p class="muted">{move || format!("Changes in {} and everything in it, newest first.", scope.get().label())}</p>
            <FilterForm filters=filters.get_untracked() scope=scope.get_untracked()/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (scope, filters) = (scope.get_untracked(), filters.get_untracked());
                    loaded(page.await, |page| view! { <Events page scope filters/> })
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn FilterForm(filters: Filters, scope: ScopePath) -> impl IntoView {
    view! {
        <form method="get" class="filter-form panel" aria-label="Filter the activity log">
            <label>"Person" <input name="actor" type="search" value=filters.actor placeholder="Name contains"/></label>
            <label>
                "Action"
                <input name="action" type="search" value=filters.action placeholder="e.g. roleAssignments"/>
            </label>
            <label>"From" <input name="since" type="date" value=filters.since/></label>
            <label>"Until" <input name="until" type="date" value=filters.until/></label>
            <button type="submit">"Filter"</button>
            <a href=format!("{}/activity", scope.url())>"Clear"</a>
        </form>
    }
}

#[component]
fn Events(page: ActivityPage, scope: ScopePath, filters: Filters) -> impl IntoView {
    let export =
        format!("/activity/export?scope={}&{}", encode(&scope.to_string()), filters.query(None));
    let older = page
        .next_before
        .map(|id| view! { <a class="button" href=format!("?{}", filters.query(Some(id)))>"Older events"</a> });
    let newest = filters
        .before
        .map(|_| view! { <a class="button" href=format!("?{}", filters.query(None))>"Newest"</a> });
    if page.events.is_empty() {
        return view! { <p class="muted">"No activity matches."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table activity">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Where"</th>
                        <th scope="col">"Details"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .events
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <td title=date_time(e.at)>{date(e.at)} <br/> <span class="muted small">{date_time(e.at)}</span></td>
                                    <td>{e.actor} <br/> <span class="muted small">{e.client_address}</span></td>
                                    <td><code>{e.action}</code></td>
                                    <td><code>{e.scope}</code> <br/> {e.target}</td>
                                    <td><code class="details">{e.details}</code></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="actions">{newest} {older} <a class="button" href=export download="">"Export as JSON lines"</a></p>
    }
    .into_any()
}
