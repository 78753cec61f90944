//! A workspace's compute: searchable, filtered by kind and state (a GET form, so every view is
//! a link), paged by name, with a form to create compute for those allowed.

use leptos::prelude::*;

use super::compute_form::CreateComputeForm;
use crate::api::computes::{compute_url, list_computes, ComputesPage};
use crate::authz::Action;
use crate::domain::listing::ListQuery;
use crate::domain::{ComputeKind, ComputeState};
use crate::ui::error_view::loaded;
use crate::ui::list_page::{
    choices, headings, list_query, Column, EnumSelect, ListPage, ListView, SearchBox,
};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

const FILTERS: &[&str] = &["q", "kind", "state"];
const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Kind"),
    Column::text("Size"),
    Column::number("Nodes"),
    Column::text("State"),
    Column::text("Owner"),
];

#[component]
pub fn ComputesListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(FILTERS);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_computes(path, q.get("q"), q.get("kind"), q.get("state"), q.after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Computes page query/> })
            })}
        </Suspense>
    }
}

#[component]
fn Computes(page: ComputesPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let create = page
        .permitted
        .contains(&Action::ComputesWrite)
        .then(|| view! { <CreateComputeForm ws=ws.clone()/> }.into_any());
    let rows = page
        .computes
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <td><a href=compute_url(&ws, &c.name)>{c.name.clone()}</a></td>
                    <td>{c.kind.label()}</td>
                    <td><code>{c.vm_size.clone()}</code></td>
                    <td class="number">{c.nodes()}</td>
                    <td><ComputeStateBadge state=c.state/></td>
                    <td>{if c.owner.is_empty() { "—".to_owned() } else { c.owner.clone() }}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let filters = view! { <ComputeFilters query=query.clone()/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Compute,
        title: "Compute",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Filter compute",
        submit: "Apply",
        headings: headings(COLUMNS),
        table_class: "computes",
        rows,
        row_count: page.computes.len(),
        none_yet: "No compute yet. Compute instances are workstations for one person; clusters \
                   run training jobs and can scale down to no nodes when idle.",
        no_match: "No compute matches these filters.",
        create,
    };
    view! { <ListPage list/> }
}

#[component]
fn ComputeFilters(query: ListQuery) -> impl IntoView {
    let (kind, state) = (query.get("kind"), query.get("state"));
    view! {
        <SearchBox value=query.get("q")/>
        <EnumSelect label="Kind" name="kind" selected=kind any=true choices=choices(&ComputeKind::ALL, ComputeKind::as_str, ComputeKind::label)/>
        <EnumSelect label="State" name="state" selected=state any=true choices=choices(&ComputeState::ALL, ComputeState::as_str, ComputeState::label)/>
    }
}

#[component]
pub fn ComputeStateBadge(state: ComputeState) -> impl IntoView {
    view! { <span class=format!("status status-{}", state.as_str())>{state.label()}</span> }
}
