//! A workspace's online endpoints: searched, filtered by state and creation date, sorted by the
//! Name or Created column (all in the URL, so every view is a link), paged by key, with a form
//! to create an endpoint for those allowed.

use leptos::prelude::*;

use super::endpoint_forms::CreateEndpointForm;
use crate::api::endpoints::{endpoint_url, list_endpoints, EndpointsPage};
use crate::authz::Action;
use crate::domain::endpoint::{EndpointSort, EndpointState};
use crate::domain::listing::{ListQuery, SORT};
use crate::ui::error_view::loaded;
use crate::ui::format::{date, epoch_from_date};
use crate::ui::list_page::{
    choices, list_query, sort_heading, EnumSelect, ListPage, ListView, SearchBox,
};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

#[component]
pub fn EndpointsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q", "state", "since", "until", SORT]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| {
            // `until` includes its whole day.
            let since = epoch_from_date(&q.get("since"));
            let until = epoch_from_date(&q.get("until")).map(|t| t + 86_400);
            list_endpoints(path, q.get("q"), q.get("state"), since, until, q.get(SORT), q.after)
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

#[component]
fn Endpoints(page: EndpointsPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let create = page
        .permitted
        .contains(&Action::EndpointsWrite)
        .then(|| view! { <CreateEndpointForm ws=ws.clone()/> }.into_any());
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
        .collect_view()
        .into_any();
    let by_name = (EndpointSort::NameAscending, EndpointSort::NameDescending);
    let headings = view! {
        {sort_heading(&query, "Name", false, by_name)}
        <th scope="col">"State"</th>
        <th scope="col" class="number">"Deployments"</th>
        <th scope="col">"Authentication"</th>
        <th scope="col">"Tags"</th>
        {sort_heading(&query, "Created", false, (EndpointSort::Oldest, EndpointSort::Newest))}
    }
    .into_any();
    let filters = view! { <EndpointFilters query=query.clone()/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Endpoints,
        title: "Endpoints",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Filter endpoints",
        submit: "Apply",
        headings,
        table_class: "endpoints",
        rows,
        row_count: page.endpoints.len(),
        none_yet: "No endpoints yet. An online endpoint answers requests with a registered \
                   model; its deployments share its traffic, so a new model version can take a \
                   little of it before all.",
        no_match: "No endpoints match these filters.",
        create,
    };
    view! { <ListPage list/> }
}

#[component]
fn EndpointFilters(query: ListQuery) -> impl IntoView {
    let state = query.get("state");
    view! {
        <SearchBox value=query.get("q")/>
        <EnumSelect label="State" name="state" selected=state any=true choices=choices(&EndpointState::ALL, EndpointState::as_str, EndpointState::label)/>
        <label>"Created from" <input name="since" type="date" value=query.get("since")/></label>
        <label>"until" <input name="until" type="date" value=query.get("until")/></label>
        <input type="hidden" name="sort" value=query.get(SORT)/>
    }
}

#[component]
pub fn EndpointStateBadge(state: EndpointState) -> impl IntoView {
    view! { <span class=format!("status status-{}", state.as_str())>{state.label()}</span> }
}
