//! A workspace's data assets, each with its latest version: searched (name, description,
//! tags), filtered by format and date, sorted by name, time or size (a GET form, so the URL
//! holds the list's state and every view can be shared), paged by key, with a form to register
//! one for those who may.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::dataset_forms::RegisterDatasetForm;
use super::workspace_overview::workspace_params;
use crate::api::datasets::{dataset_url, list_datasets, version_url, DatasetsPage};
use crate::authz::Action;
use crate::domain::dataset::{DataFormat, DatasetSort};
use crate::ui::error_view::loaded;
use crate::ui::format::{date_time, epoch_from_date, file_size, query_value};
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

/// The list's state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct DatasetQuery {
    search: String,
    format: String,
    since: String,
    until: String,
    sort: String,
    after: String,
}

impl DatasetQuery {
    /// The URL of this view of the list in the order `sort`, on the page after `after`.
    fn href(&self, sort: &str, after: &str) -> String {
        let pairs = [
            ("q", self.search.as_str()),
            ("format", &self.format),
            ("since", &self.since),
            ("until", &self.until),
            ("sort", sort),
            ("after", after),
        ];
        let parts: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", query_value(v)))
            .collect();
        format!("?{}", parts.join("&"))
    }

    /// A column heading that sorts by it: `first` on the first click, `then` on the next.
    fn sort_heading(&self, label: &'static str, first: DatasetSort, then: DatasetSort) -> AnyView {
        let current = DatasetSort::from_url(&self.sort);
        let next = if current == first { then } else { first };
        let mark = match current {
            s if s == first => " ▲",
            s if s == then && then != first => " ▼",
            _ => "",
        };
        let href = self.href(next.as_str(), "");
        let text = format!("{label}{mark}");
        view! { <a href=href title=format!("Sort: {}", next.label())>{text}</a> }.into_any()
    }
}

#[component]
pub fn DatasetsListPage() -> impl IntoView {
    let path = workspace_params();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let q = url.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        DatasetQuery {
            search: get("q"),
            format: get("format"),
            since: get("since"),
            until: get("until"),
            sort: get("sort"),
            after: get("after"),
        }
    });
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| {
            // `until` includes its whole day.
            let until = epoch_from_date(&q.until).map(|t| t + 86_400);
            let since = epoch_from_date(&q.since);
            list_datasets(path, q.search, q.format, since, until, q.sort, q.after)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Datasets page query/> })
            })}
        </Suspense>
    }
}

#[component]
fn Datasets(page: DatasetsPage, query: DatasetQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let base = format!("{}/datasets", ws.url());
    let next = page.next_after.clone().map(|after| {
        view! { <a class="button" href=query.href(&query.sort, &after)>"Next page"</a> }
    });
    let rows = page
        .datasets
        .iter()
        .map(|d| {
            let tags =
                d.tags.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
            view! {
                <tr>
                    <td><a href=dataset_url(&ws, &d.name)>{d.name.clone()}</a></td>
                    <td class="number"><a href=version_url(&ws, &d.name, d.latest_version)>{d.latest_version}</a></td>
                    <td>{d.format.label()}</td>
                    <td class="number">{d.size.map(file_size).unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{d.description.clone()} <span class="muted small">{tags}</span></td>
                    <td>{date_time(d.latest_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let filtered =
        [&query.search, &query.format, &query.since, &query.until].iter().any(|v| !v.is_empty());
    let list = if page.datasets.is_empty() {
        let text = if filtered { "No data assets match." } else { "No data assets yet." };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table datasets">
                    <thead>
                        <tr>
                            <th scope="col">{query.sort_heading("Name", DatasetSort::Name, DatasetSort::Name)}</th>
                            <th scope="col" class="number">"Latest version"</th>
                            <th scope="col">"Format"</th>
                            <th scope="col" class="number">{query.sort_heading("Size", DatasetSort::Largest, DatasetSort::Smallest)}</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">{query.sort_heading("Registered", DatasetSort::Newest, DatasetSort::Oldest)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let sort = DatasetSort::from_url(&query.sort);
    let register = page
        .permitted
        .contains(&Action::DatasetsWrite)
        .then(|| view! { <RegisterDatasetForm ws=ws.clone() name=String::new()/> });
    view! {
        <Title text=format!("Data assets · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Datasets trail=vec![("Data assets".into(), None)]>
            <h1>"Data assets"</h1>
            <form method="get" class="filter-form panel" aria-label="Filter data assets">
                <label>"Search" <input name="q" type="search" value=query.search.clone() placeholder="Name, description or tag"/></label>
                <label>
                    "Format"
                    <select name="format">
                        <option value="" selected=query.format.is_empty()>"Any"</option>
                        {DataFormat::ALL
                            .map(|f| view! { <option value=f.as_str() selected=query.format == f.as_str()>{f.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>"Registered from" <input name="since" type="date" value=query.since.clone()/></label>
                <label>"until" <input name="until" type="date" value=query.until.clone()/></label>
                <label>
                    "Sort"
                    <select name="sort">
                        {DatasetSort::ALL
                            .map(|s| view! { <option value=s.as_str() selected=s == sort>{s.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit">"Apply"</button>
                <a href=base>"Clear"</a>
            </form>
            {list}
            <p class="actions">{next}</p>
            {register}
        </WorkspaceFrame>
    }
    .into_any()
}
