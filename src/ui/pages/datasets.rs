//! A workspace's data assets, each with its latest version: searched (name, description,
//! tags), filtered by format and date, sorted by name, time or size (a GET form, so the URL
//! holds the list's state and every view can be shared), paged by key, with a form to register
//! one for those who may.

use leptos::prelude::*;

use super::dataset_forms::RegisterDatasetForm;
use crate::api::datasets::{dataset_url, list_datasets, version_url, DatasetsPage};
use crate::authz::Action;
use crate::domain::dataset::{DataFormat, DatasetSort};
use crate::domain::listing::{ListQuery, SORT};
use crate::ui::error_view::loaded;
use crate::ui::format::{date_time, epoch_from_date, file_size};
use crate::ui::list_page::{
    choices, list_query, sort_heading, EnumSelect, ListPage, ListView, SearchBox,
};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

#[component]
pub fn DatasetsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q", "format", "since", "until", SORT]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| {
            // `until` includes its whole day.
            let until = epoch_from_date(&q.get("until")).map(|t| t + 86_400);
            let since = epoch_from_date(&q.get("since"));
            list_datasets(path, q.get("q"), q.get("format"), since, until, q.get(SORT), q.after)
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
fn Datasets(page: DatasetsPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
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
        .collect_view()
        .into_any();
    let headings = view! {
        {sort_heading(&query, "Name", false, (DatasetSort::Name, DatasetSort::Name))}
        <th scope="col" class="number">"Latest version"</th>
        <th scope="col">"Format"</th>
        {sort_heading(&query, "Size", true, (DatasetSort::Largest, DatasetSort::Smallest))}
        <th scope="col">"Description"</th>
        {sort_heading(&query, "Registered", false, (DatasetSort::Newest, DatasetSort::Oldest))}
    }
    .into_any();
    let register = page
        .permitted
        .contains(&Action::DatasetsWrite)
        .then(|| view! { <RegisterDatasetForm ws=ws.clone() name=String::new()/> }.into_any());
    let filters = view! { <DatasetFilters query=query.clone()/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Datasets,
        title: "Data assets",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Filter data assets",
        submit: "Apply",
        headings,
        table_class: "datasets",
        rows,
        row_count: page.datasets.len(),
        none_yet: "No data assets yet.",
        no_match: "No data assets match.",
        create: register,
    };
    view! { <ListPage list/> }
}

#[component]
fn DatasetFilters(query: ListQuery) -> impl IntoView {
    let (format, sort) = (query.get("format"), DatasetSort::from_url(&query.get(SORT)));
    view! {
        <SearchBox value=query.get("q")/>
        <EnumSelect label="Format" name="format" selected=format any=true choices=choices(&DataFormat::ALL, DataFormat::as_str, DataFormat::label)/>
        <label>"Registered from" <input name="since" type="date" value=query.get("since")/></label>
        <label>"until" <input name="until" type="date" value=query.get("until")/></label>
        <EnumSelect label="Sort" name="sort" selected=sort.as_str().to_owned() choices=choices(&DatasetSort::ALL, DatasetSort::as_str, DatasetSort::label)/>
    }
}
