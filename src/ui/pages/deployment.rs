//! One deployment of an online endpoint: its state, the model version it serves (linked, with
//! that version's files to download), its instances and share of the traffic, and the
//! endpoint's events about it. Changes stay on the endpoint's page, beside the traffic split.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model::ModelFilesList;
use super::models::StageBadge;
use crate::api::endpoints::{endpoint_url, get_deployment, DeploymentPage};
use crate::api::models::model_url;
use crate::authz::Action;
use crate::ui::error_view::loaded;
use crate::ui::format::date_time;
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn DeploymentDetailPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let names = Memo::new(move |_| {
        let read = params.read();
        (read.get("endpoint").unwrap_or_default(), read.get("deployment").unwrap_or_default())
    });
    let data = Resource::new(
        move || (path(), names.get()),
        |(path, (endpoint, deployment))| get_deployment(path, endpoint, deployment),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |page| view! { <Deployment page/> })
            })}
        </Suspense>
    }
}

#[component]
fn Deployment(page: DeploymentPage) -> impl IntoView {
    let ws = page.workspace.clone();
    let d = page.deployment.clone();
    let endpoint_href = endpoint_url(&ws, &page.endpoint);
    let served = format!("{} version {}", d.model, d.model_version);
    let model = if page.permitted.contains(&Action::ModelsRead) {
        let href = format!("{}#version-{}", model_url(&ws, &d.model), d.model_version);
        view! { <a href=href>{served}</a> }.into_any()
    } else {
        view! { <span>{served}</span> }.into_any()
    };
    let files = page.model_files.clone().map(|files| {
        let body = if files.is_empty() {
            view! { <p class="muted">"This model version has no files."</p> }.into_any()
        } else {
            view! { <ModelFilesList ws=ws.clone() model=d.model.clone() version=d.model_version files/> }
                .into_any()
        };
        view! {
            <section class="panel">
                <h2>"Model files"</h2>
                <p class="muted">{format!("What version {} of {} holds.", d.model_version, d.model)}</p>
                {body}
            </section>
        }
    });
    let activity = page.activity.clone().map(|events| view! { <ItemActivity events/> });
    let trail = vec![
        ("Endpoints".to_owned(), Some(format!("{}/endpoints", ws.url()))),
        (page.endpoint.clone(), Some(endpoint_href.clone())),
        (d.name.clone(), None),
    ];
    view! {
        <Title text=format!("{} · {} · Endpoints", d.name, page.endpoint)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{d.name.clone()}</h1>
                    <p class="muted">
                        <span class=format!("status status-{}", d.state.as_str())>{d.state.label()}</span>
                        " Deployment of " <a href=endpoint_href.clone()>{page.endpoint.clone()}</a>
                        {format!(" · created {} by {}", date_time(d.created_at), d.created_by)}
                    </p>
                </div>
            </div>
            <section class="panel">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"Model version"</dt>
                    <dd>{model} " " <StageBadge stage=d.model_stage/></dd>
                    <dt>"Instances"</dt>
                    <dd>{format!("{} × {}", d.instance_count, d.instance_type)}</dd>
                    <dt>"Traffic"</dt>
                    <dd>{format!("{}% of the endpoint's requests", d.traffic_percent)}</dd>
                    <dt>"Last changed"</dt>
                    <dd>{date_time(d.updated_at)}</dd>
                </dl>
                <p class="muted small">"Start, stop, change or delete it on the endpoint's page."</p>
            </section>
            {files}
            {activity}
    }
}
