//! One version of a data asset: where its data is (a download for an upload), its size and
//! digest, the first rows of its table (when the server holds the file), the asset's other versions, and forms to edit
//! or delete it as the roles allow.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::dataset::tag_list;
use super::dataset_forms::{DeleteVersionForm, EditVersionForm};
use crate::api::datasets::{
    dataset_url, download_url, get_dataset_version, version_url, DeleteDatasetVersion, Preview,
    PreviewTable, UpdateDatasetVersion, VersionPage,
};
use crate::authz::Action;
use crate::ui::error_view::loaded;
use crate::ui::format::{date_time, file_size};
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn DatasetVersionPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let p = params.read();
        let version = p.get("version").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
        (p.get("dataset").unwrap_or_default(), version)
    });
    let update = ServerAction::<UpdateDatasetVersion>::new();
    let delete = ServerAction::<DeleteDatasetVersion>::new();
    let data = Resource::new(
        move || (path(), key.get(), update.version().get()),
        |(path, (name, version), _)| get_dataset_version(path, name, version),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <Version view update delete/> })
            })}
        </Suspense>
    }
}

#[component]
fn Version(
    view: VersionPage,
    update: ServerAction<UpdateDatasetVersion>,
    delete: ServerAction<DeleteDatasetVersion>,
) -> impl IntoView {
    let ws = view.workspace.clone();
    let v = view.version.clone();
    let name = view.name.clone();
    let may = |action| view.permitted.contains(&action);
    let data = if v.uploaded {
        let label = format!("Download {}", v.file_name);
        view! { <a href=download_url(&ws, &name, &v) download="" aria-label=label>{v.file_name.clone()}</a> }
            .into_any()
    } else {
        view! { <code>{v.uri.clone()}</code> }.into_any()
    };
    let datastore = v.datastore.clone().map(|store| {
        view! {
            <dt>"Datastore"</dt>
            <dd><a href=format!("{}/datastores", ws.url())>{store}</a></dd>
        }
    });
    let digest = (!v.sha256.is_empty()).then(|| {
        view! {
            <dt>"SHA-256"</dt>
            <dd><code class="small">{v.sha256.clone()}</code></dd>
        }
    });
    let others = view
        .other_versions
        .iter()
        .map(
            |n| view! { <li><a href=version_url(&ws, &name, *n)>{format!("Version {n}")}</a></li> },
        )
        .collect_view();
    let preview = match view.preview.clone() {
        Preview::None => None,
        Preview::Table(table) => Some(view! { <PreviewPanel table/> }.into_any()),
        Preview::Unavailable(why) => Some(
            view! { <section class="panel"><h2>"Preview"</h2><p class="notice" role="status">{why}</p></section> }
                .into_any(),
        ),
    };
    let edit = may(Action::DatasetsWrite).then(
        || view! { <EditVersionForm ws=ws.clone() name=name.clone() version=v.clone() action=update/> },
    );
    let remove = may(Action::DatasetsDelete).then(
        || view! { <DeleteVersionForm ws=ws.clone() name=name.clone() version=v.version action=delete/> },
    );
    let trail = vec![
        ("Data assets".to_owned(), Some(format!("{}/datasets", ws.url()))),
        (name.clone(), Some(dataset_url(&ws, &name))),
        (format!("Version {}", v.version), None),
    ];
    view! {
        <Title text=format!("{name} {} · Data assets", v.version)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <h1>{format!("{name} · version {}", v.version)}</h1>
            <p class="muted">{format!("Registered {} by {}", date_time(v.created_at), v.created_by)}</p>
            <dl class="facts">
                <dt>"Format"</dt>
                <dd>{v.format.label()}</dd>
                <dt>{if v.uploaded { "File" } else { "URI" }}</dt>
                <dd>{data}</dd>
                {datastore}
                <dt>"Size"</dt>
                <dd>{v.size.map(file_size).unwrap_or_else(|| "—".to_owned())}</dd>
                {digest}
                <dt>"Description"</dt>
                <dd>{if v.description.is_empty() { "—".to_owned() } else { v.description.clone() }}</dd>
                <dt>"Tags"</dt>
                <dd>{tag_list(&v.tags)}</dd>
            </dl>
            {preview}
            {(!view.other_versions.is_empty()).then(|| view! {
                <section class="panel"><h2>"Other versions"</h2><ul>{others}</ul></section>
            })}
            {edit}
            {remove}
    }
    .into_any()
}

#[component]
fn PreviewPanel(table: PreviewTable) -> impl IntoView {
    let shown = table.rows.len();
    let note =
        if table.more { format!("The first {shown} rows.") } else { format!("All {shown} rows.") };
    let head =
        table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> })
        .collect_view();
    view! {
        <section class="panel">
            <h2>"Preview"</h2>
            <p class="muted small">{note}</p>
            <div class="table-scroll">
                <table class="table compact preview">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
