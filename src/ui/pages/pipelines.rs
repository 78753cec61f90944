//! A workspace's pipelines: searchable, filtered by their newest run's status, sorted by a
//! column (a GET form and header links, so every view is a link), paged by key, with a form to
//! create a pipeline for those allowed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::pipeline_forms::CreatePipelineForm;
use super::workspace_overview::workspace_params;
use crate::api::pipelines::{list_pipelines, pipeline_url, pipelines_url, PipelinesPage};
use crate::authz::Action;
use crate::domain::pipeline::PipelineSort;
use crate::domain::RunStatus;
use crate::ui::error_view::loaded;
use crate::ui::format::{date_time, query_value};
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

/// The list's state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct PipelineQuery {
    search: String,
    last_run: String,
    sort: String,
    after: String,
}

impl PipelineQuery {
    /// The query string for this state in order `sort`, starting after `after` when given.
    fn link(&self, sort: &str, after: Option<&str>) -> String {
        let pairs = [
            ("q", self.search.as_str()),
            ("last_run", self.last_run.as_str()),
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
}

#[component]
pub fn PipelinesListPage() -> impl IntoView {
    let path = workspace_params();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let q = url.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        PipelineQuery {
            search: get("q"),
            last_run: get("last_run"),
            sort: get("sort"),
            after: get("after"),
        }
    });
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_pipelines(path, q.search, q.last_run, q.sort, q.after),
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

/// A column header that sorts by its column, and reverses the order when it already does.
fn sort_header(
    label: &'static str,
    ascending: PipelineSort,
    query: &PipelineQuery,
    class: &'static str,
) -> impl IntoView {
    let current = PipelineSort::from_url(&query.sort);
    let descending = ascending.reversed();
    let (next, aria_sort, arrow) = if current == ascending {
        (descending, "ascending", " ▲")
    } else if current == descending {
        (ascending, "descending", " ▼")
    } else {
        (ascending, "none", "")
    };
    let href = query.link(next.as_str(), None);
    view! {
        <th scope="col" class=class aria-sort=aria_sort>
            <a href=href title=format!("Sort: {}", next.label())>{label}{arrow}</a>
        </th>
    }
}

#[component]
fn Pipelines(page: PipelinesPage, query: PipelineQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let create = page
        .permitted
        .contains(&Action::PipelinesWrite)
        .then(|| view! { <CreatePipelineForm ws=ws.clone()/> });
    let next = page.next_after.as_deref().map(|after| {
        view! { <a class="button" href=query.link(&query.sort, Some(after))>"Next page"</a> }
    });
    let first = (!query.after.is_empty())
        .then(|| view! { <a class="button" href=query.link(&query.sort, None)>"First page"</a> });
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
        .collect_view();
    let list = if page.pipelines.is_empty() {
        let text = if query == PipelineQuery::default() {
            "No pipelines yet. A pipeline is a graph of steps — prepare, train, evaluate — that \
             runs as one; each run keeps the steps it was submitted with."
        } else {
            "No pipeline matches these filters."
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table pipelines">
                    <thead>
                        <tr>
                            {sort_header("Name", PipelineSort::NameAscending, &query, "")}
                            {sort_header("Steps", PipelineSort::FewestSteps, &query, "number")}
                            <th scope="col">"Last run"</th>
                            <th scope="col" class="number">"Runs"</th>
                            {sort_header("Changed", PipelineSort::LeastRecentlyChanged, &query, "")}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Pipelines · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Pipelines trail=vec![("Pipelines".into(), None)]>
            <div class="page-heading">
                <h1>"Pipelines"</h1>
            </div>
            <PipelineFilterForm query=query.clone() clear_url=pipelines_url(&ws)/>
            {list}
            <p class="actions">{first}{next}</p>
            {create}
        </WorkspaceFrame>
    }
    .into_any()
}

#[component]
fn PipelineFilterForm(query: PipelineQuery, clear_url: String) -> impl IntoView {
    let sort = PipelineSort::from_url(&query.sort);
    view! {
        <form method="get" class="filter-form panel" aria-label="Filter pipelines">
            <label>"Search" <input name="q" type="search" value=query.search.clone() placeholder="Name, description or tag"/></label>
            <label>
                "Last run"
                <select name="last_run">
                    <option value="" selected=query.last_run.is_empty()>"Any"</option>
                    <option value="never" selected=query.last_run == "never">"Never run"</option>
                    {RunStatus::ALL
                        .map(|s| view! { <option value=s.as_str() selected=query.last_run == s.as_str()>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Sort"
                <select name="sort">
                    {PipelineSort::ALL
                        .map(|s| view! { <option value=s.as_str() selected=s == sort>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <button type="submit">"Apply"</button>
            <a href=clear_url>"Clear"</a>
        </form>
    }
}
