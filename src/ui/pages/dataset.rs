//! One data asset: its latest facts and tags, every version (format, where the data is, size),
//! a form to register the next version and to delete the asset as the roles allow, and its
//! recent activity.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::dataset_forms::{DeleteDatasetForm, RegisterDatasetForm};
use crate::api::datasets::{get_dataset, version_url, DatasetView};
use crate::authz::Action;
use crate::ui::error_view::loaded;
use crate::ui::format::{date, date_time, file_size};
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn DatasetPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("dataset").unwrap_or_default());
    let data = Resource::new(move || (path(), name.get()), |(path, name)| get_dataset(path, name));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(data.await, |view| view! { <Dataset view/> }) })}
        </Suspense>
    }
}

/// The tags as a list of badges.
pub fn tag_list(tags: &[(String, String)]) -> impl IntoView {
    let items = tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    view! { <ul class="tags">{items}</ul> }
}

#[component]
fn Dataset(view: DatasetView) -> impl IntoView {
    let ws = view.workspace.clone();
    let asset = view.dataset.clone();
    let may = |action| view.permitted.contains(&action);
    let rows = view
        .versions
        .iter()
        .map(|v| {
            let location = if v.uploaded { v.file_name.clone() } else { v.uri.clone() };
            view! {
                <tr>
                    <th scope="row"><a href=version_url(&ws, &asset.name, v.version)>{format!("Version {}", v.version)}</a></th>
                    <td>{v.format.label()}</td>
                    <td><code class="small">{location}</code></td>
                    <td class="number">{v.size.map(file_size).unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{v.description.clone()}</td>
                    <td>{date(v.created_at)} <br/> <span class="muted small">{format!("by {}", v.created_by)}</span></td>
                </tr>
            }
        })
        .collect_view();
    let register = may(Action::DatasetsWrite)
        .then(|| view! { <RegisterDatasetForm ws=ws.clone() name=asset.name.clone()/> });
    let delete = may(Action::DatasetsDelete)
        .then(|| view! { <DeleteDatasetForm ws=ws.clone() name=asset.name.clone()/> });
    let activity = view.activity.clone().map(|events| view! { <ItemActivity events/> });
    let trail = vec![
        ("Data assets".to_owned(), Some(format!("{}/datasets", ws.url()))),
        (asset.name.clone(), None),
    ];
    let count = match view.versions.len() {
        1 => "1 version".to_owned(),
        n => format!("{n} versions"),
    };
    view! {
        <Title text=format!("{} · Data assets", asset.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <h1>{asset.name.clone()}</h1>
            <p class="muted">{format!("{count} · first registered {} by {}", date_time(asset.created_at), asset.created_by)}</p>
            <dl class="facts">
                <dt>"Latest version"</dt>
                <dd><a href=version_url(&ws, &asset.name, asset.latest_version)>{asset.latest_version}</a></dd>
                <dt>"Format"</dt>
                <dd>{asset.format.label()}</dd>
                <dt>"Description"</dt>
                <dd>{if asset.description.is_empty() { "—".to_owned() } else { asset.description.clone() }}</dd>
                <dt>"Tags"</dt>
                <dd>{tag_list(&asset.tags)}</dd>
            </dl>
            <h2>"Versions"</h2>
            <div class="table-scroll">
                <table class="table versions">
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Format"</th>
                            <th scope="col">"Data"</th>
                            <th scope="col" class="number">"Size"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Registered"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {register}
            {delete}
            {activity}
    }
    .into_any()
}
