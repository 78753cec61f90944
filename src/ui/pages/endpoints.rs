//! A workspace's online endpoints: searched, filtered by state and creation date, sorted by the
//! Name or Created column (all in the URL, so every view is a link), paged by key, with a form
//! to create an endpoint for those allowed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::endpoint_forms::CreateEndpointForm;
use super::workspace_overview::workspace_params;
use crate::api::endpoints::{endpoint_url, list_endpoints, EndpointsPage};
use crate::authz::Action;
use crate::domain::endpoint::{EndpointSort, EndpointState};
use crate::ui::error_view::loaded;
use crate::ui::format::{date, epoch_from_date, query_value};
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

/// The list's state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct EndpointQuery {
    search: String,
    state: String,
    since: String,
    until: String,
    sort: String,
    after: String,
}

impl EndpointQuery {
    /// The query string for this state, sorted by `sort` and starting after `after`.
    fn link(&self, sort: &str, after: Option<&str>) -> String {
        let pairs = [
            ("q", self.search.as_str()),
            ("state", self.state.as_str()),
            ("since", self.since.as_str()),
            ("until", self.until.as_str()),
            ("sort", sort),
            ("after", after.unwrap_or_default()),
        ];
        let query: Vec<String> = pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", query_value(v)))
            .collect();
        format!("?{}", query.join("&"))
    }

    /// Created since/until as epoch seconds; `until` includes its whole day.
    fn time_range(&self) -> (Option<i64>, Option<i64>) {
        (epoch_from_date(&self.since), epoch_from_date(&self.until).map(|t| t + 86_400))
    }

    fn is_default(&self) -> bool {
        *self == Self { sort: self.sort.clone(), ..Self::default() }
    }
}

#[component]
pub fn EndpointsListPage() -> impl IntoView {
    let path = workspace_params();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let q = url.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        EndpointQuery {
            search: get("q"),
            state: get("state"),
            since: get("since"),
            until: get("until"),
            sort: get("sort"),
            after: get("after"),
        }
    });
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| {
            let (since, until) = q.time_range();
            list_endpoints(path, q.search, q.state, since, until, q.sort, q.after)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Endpoints page query/> })
            })}
        </Suspense>
    }
}

/// A column heading that sorts by it: ascending first, then the other way.
fn sort_heading(
    query: &EndpointQuery,
    label: &'static str,
    up: EndpointSort,
    down: EndpointSort,
) -> impl IntoView {
    let current = EndpointSort::from_url(&query.sort);
    let (next, mark, aria) = if current == up {
        (down, " ▲", "ascending")
    } else if current == down {
        (up, " ▼", "descending")
    } else {
        (up, "", "none")
    };
    view! {
        <th scope="col" aria-sort=aria>
            <a href=query.link(next.as_str(), None)>{label}{mark}</a>
        </th>
    }
}

#[component]
fn Endpoints(page: EndpointsPage, query: EndpointQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let base = format!("{}/endpoints", ws.url());
    let create = page
        .permitted
        .contains(&Action::EndpointsWrite)
        .then(|| view! { <CreateEndpointForm ws=ws.clone()/> });
    let next = page.next_after.as_deref().map(|after| {
        view! { <a class="button" href=query.link(&query.sort, Some(after))>"Next page"</a> }
    });
    let first = (!query.after.is_empty())
        .then(|| view! { <a class="button" href=query.link(&query.sort, None)>"First page"</a> });
    let rows = page
        .endpoints
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td><a href=endpoint_url(&ws, &e.name)>{e.name.clone()}</a></td>
                    <td><EndpointStateBadge state=e.state/></td>
                    <td class="number">{e.deployment_count}</td>
                    <td>{e.auth_mode.label()}</td>
                    <td>{e.tags.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")}</td>
                    <td>{date(e.created_at)} " " <span class="muted small">{format!("by {}", e.created_by)}</span></td>
                </tr>
            }
        })
        .collect_view();
    let list = if page.endpoints.is_empty() {
        let text = if query.is_default() {
            "No endpoints yet. An online endpoint answers requests with a registered model; \
             its deployments share its traffic, so a new model version can take a little of \
             it before all."
        } else {
            "No endpoints match these filters."
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table endpoints">
                    <thead>
                        <tr>
                            {sort_heading(&query, "Name", EndpointSort::NameAscending, EndpointSort::NameDescending)}
                            <th scope="col">"State"</th>
                            <th scope="col" class="number">"Deployments"</th>
                            <th scope="col">"Authentication"</th>
                            <th scope="col">"Tags"</th>
                            {sort_heading(&query, "Created", EndpointSort::Oldest, EndpointSort::Newest)}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Endpoints · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Endpoints trail=vec![("Endpoints".into(), None)]>
            <div class="page-heading">
                <h1>"Endpoints"</h1>
            </div>
            <EndpointFilterForm query=query.clone() clear_url=base/>
            {list}
            <p class="actions">{first}{next}</p>
            {create}
        </WorkspaceFrame>
    }
    .into_any()
}

#[component]
fn EndpointFilterForm(query: EndpointQuery, clear_url: String) -> impl IntoView {
    view! {
        <form method="get" class="filter-form panel" aria-label="Filter endpoints">
            <label>"Search" <input name="q" type="search" value=query.search.clone() placeholder="Name, description or tag"/></label>
            <label>
                "State"
                <select name="state">
                    <option value="" selected=query.state.is_empty()>"Any"</option>
                    {EndpointState::ALL
                        .map(|s| view! { <option value=s.as_str() selected=query.state == s.as_str()>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>"Created from" <input name="since" type="date" value=query.since.clone()/></label>
            <label>"until" <input name="until" type="date" value=query.until.clone()/></label>
            <input type="hidden" name="sort" value=query.sort.clone()/>
            <button type="submit">"Apply"</button>
            <a href=clear_url>"Clear"</a>
        </form>
    }
}

#[component]
pub fn EndpointStateBadge(state: EndpointState) -> impl IntoView {
    view! { <span class=format!("status status-{}", state.as_str())>{state.label()}</span> }
}
