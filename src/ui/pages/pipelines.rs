//! A workspace's pipelines: searchable, filtered by their newest run's status, sorted by a
//! column (a GET form and header links, so every view is a link), paged by key, with a form to
//! create a pipeline for those allowed.

use leptos::prelude::*;

use super::pipeline_forms::CreatePipelineForm;
use crate::api::pipelines::{list_pipelines, pipeline_url, PipelinesPage};
use crate::authz::Action;
use crate::domain::listing::{ListQuery, SORT};
use crate::domain::pipeline::PipelineSort;
use crate::domain::RunStatus;
use crate::ui::error_view::loaded;
use crate::ui::format::date_time;
use crate::ui::list_page::{
    choices, list_query, sort_heading, EnumSelect, ListPage, ListView, SearchBox,
};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

#[component]
pub fn PipelinesListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q", "last_run", SORT]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_pipelines(path, q.get("q"), q.get("last_run"), q.get(SORT), q.after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Pipelines page query/> })
            })}
        </Suspense>
    }
}

/// A heading that sorts by its column from `ascending`, and reverses the order when it already
/// does.
fn sort_header(
    query: &ListQuery,
    label: &'static str,
    number: bool,
    ascending: PipelineSort,
) -> AnyView {
    sort_heading(query, label, number, (ascending, ascending.reversed()))
}

#[component]
fn Pipelines(page: PipelinesPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let create = page
        .permitted
        .contains(&Action::PipelinesWrite)
        .then(|| view! { <CreatePipelineForm ws=ws.clone()/> }.into_any());
    let rows = page
        .pipelines
        .iter()
        .map(|p| {
            let tags = p.tags.iter().map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> }).collect_view();
            let last = match p.last_run_status {
                Some(s) => view! { <span class=format!("status status-{}", s.as_str())>{s.label()}</span> }.into_any(),
                None => view! { <span class="muted">"Never run"</span> }.into_any(),
            };
            view! {
                <tr>
                    <td><a href=pipeline_url(&ws, &p.name)>{p.name.clone()}</a><ul class="tags">{tags}</ul></td>
                    <td class="number">{p.step_count}</td>
                    <td>{last}</td>
                    <td class="number">{p.run_count}</td>
                    <td>{date_time(p.updated_at)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let headings = view! {
        {sort_header(&query, "Name", false, PipelineSort::NameAscending)}
        {sort_header(&query, "Steps", true, PipelineSort::FewestSteps)}
        <th scope="col">"Last run"</th>
        <th scope="col" class="number">"Runs"</th>
        {sort_header(&query, "Changed", false, PipelineSort::LeastRecentlyChanged)}
    }
    .into_any();
    let filters = view! { <PipelineFilters query=query.clone()/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Pipelines,
        title: "Pipelines",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Filter pipelines",
        submit: "Apply",
        headings,
        table_class: "pipelines",
        rows,
        row_count: page.pipelines.len(),
        none_yet: "No pipelines yet. A pipeline is a graph of steps — prepare, train, evaluate — \
                   that runs as one; each run keeps the steps it was submitted with.",
        no_match: "No pipeline matches these filters.",
        create,
    };
    view! { <ListPage list/> }
}

/// "Never run", then each run status.
fn last_run_choices() -> Vec<(&'static str, &'static str)> {
    let statuses = choices(&RunStatus::ALL, RunStatus::as_str, RunStatus::label);
    std::iter::once(("never", "Never run")).chain(statuses).collect()
}

#[component]
fn PipelineFilters(query: ListQuery) -> impl IntoView {
    let (last_run, sort) = (query.get("last_run"), PipelineSort::from_url(&query.get(SORT)));
    view! {
        <SearchBox value=query.get("q")/>
        <EnumSelect label="Last run" name="last_run" selected=last_run any=true choices=last_run_choices()/>
        <EnumSelect label="Sort" name="sort" selected=sort.as_str().to_owned() choices=choices(&PipelineSort::ALL, PipelineSort::as_str, PipelineSort::label)/>
    }
}
