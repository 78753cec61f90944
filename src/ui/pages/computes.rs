//! A workspace's compute: searchable, filtered by kind and state (a GET form, so every view is
//! a link), paged by name, with a form to create compute for those allowed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::compute_form::CreateComputeForm;
use super::workspace_overview::workspace_params;
use crate::api::computes::{compute_url, list_computes, ComputesPage};
use crate::authz::Action;
use crate::domain::{ComputeKind, ComputeState};
use crate::ui::error_view::loaded;
use crate::ui::format::query_value;
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

/// The list's state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct ComputeQuery {
    search: String,
    kind: String,
    state: String,
    after: String,
}

impl ComputeQuery {
    /// The query string for this state, starting after `after` when given.
    fn link(&self, after: Option<&str>) -> String {
        let pairs = [
            ("q", self.search.as_str()),
            ("kind", self.kind.as_str()),
            ("state", self.state.as_str()),
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
pub fn ComputesListPage() -> impl IntoView {
    let path = workspace_params();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let q = url.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ComputeQuery {
            search: get("q"),
            kind: get("kind"),
            state: get("state"),
            after: get("after"),
        }
    });
    let page = Resource::new(
        move || (path(), query.get()),
        |((org, group, ws), q)| list_computes(org, group, ws, q.search, q.kind, q.state, q.after),
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
fn Computes(page: ComputesPage, query: ComputeQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let base = format!("{}/compute", ws.url());
    let create = page
        .permitted
        .contains(&Action::ComputesWrite)
        .then(|| view! { <CreateComputeForm ws=ws.clone()/> });
    let next = page.next_after.as_deref().map(|after| {
        view! { <a class="button" href=query.link(Some(after))>"Next page"</a> }
    });
    let first = (!query.after.is_empty())
        .then(|| view! { <a class="button" href=query.link(None)>"First page"</a> });
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
        .collect_view();
    let list = if page.computes.is_empty() {
        let text = if query == ComputeQuery::default() {
            "No compute yet. Compute instances are workstations for one person; clusters run \
             training jobs and can scale down to no nodes when idle."
        } else {
            "No compute matches these filters."
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table computes">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Size"</th>
                            <th scope="col" class="number">"Nodes"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Owner"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Compute · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Compute trail=vec![("Compute".into(), None)]>
            <div class="page-heading">
                <h1>"Compute"</h1>
            </div>
            <ComputeFilterForm query=query.clone() clear_url=base/>
            {list}
            <p class="actions">{first}{next}</p>
            {create}
        </WorkspaceFrame>
    }
    .into_any()
}

#[component]
fn ComputeFilterForm(query: ComputeQuery, clear_url: String) -> impl IntoView {
    view! {
        <form method="get" class="filter-form panel" aria-label="Filter compute">
            <label>"Search" <input name="q" type="search" value=query.search.clone() placeholder="Name, description or tag"/></label>
            <label>
                "Kind"
                <select name="kind">
                    <option value="" selected=query.kind.is_empty()>"Any"</option>
                    {ComputeKind::ALL
                        .map(|k| view! { <option value=k.as_str() selected=query.kind == k.as_str()>{k.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "State"
                <select name="state">
                    <option value="" selected=query.state.is_empty()>"Any"</option>
                    {ComputeState::ALL
                        .map(|s| view! { <option value=s.as_str() selected=query.state == s.as_str()>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <button type="submit">"Apply"</button>
            <a href=clear_url>"Clear"</a>
        </form>
    }
}

#[component]
pub fn ComputeStateBadge(state: ComputeState) -> impl IntoView {
    view! { <span class=format!("status status-{}", state.as_str())>{state.label()}</span> }
}
