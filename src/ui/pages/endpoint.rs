//! One online endpoint: its facts and tags, how its traffic is split (with the form to split it
//! anew), its deployments with Start/Stop and Delete for those allowed, forms to add or change
//! deployments and to edit or delete the endpoint, and its recent activity.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::endpoint_forms::{
    hidden_endpoint, AddDeploymentForm, DeleteEndpointForm, EditDeploymentForm, EditEndpointForm,
};
use super::endpoint_traffic::{SetTrafficForm, TrafficBar};
use super::endpoints::EndpointStateBadge;
use super::models::StageBadge;
use crate::api::endpoints::{
    deployment_url, fields, get_endpoint, CreateDeployment, DeleteDeployment, DeploymentView,
    EndpointView, SetTraffic, StartDeployment, StopDeployment, UpdateDeployment, UpdateEndpoint,
};
use crate::api::models::model_url;
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::endpoint::DeploymentState;
use crate::domain::ModelStage;
use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::format::date_time;
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

/// The page's changes: made once, outside the loaded content, so the content reloads after
/// each of them.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateEndpoint>,
    add: ServerAction<CreateDeployment>,
    change: ServerAction<UpdateDeployment>,
    start: ServerAction<StartDeployment>,
    stop: ServerAction<StopDeployment>,
    delete: ServerAction<DeleteDeployment>,
    traffic: ServerAction<SetTraffic>,
    /// The last refused Start, Stop or Delete of a deployment, whichever row it came from.
    row_error: RwSignal<Option<AppError>>,
    /// The deployment whose change form was sent last.
    last_changed: RwSignal<String>,
}

#[component]
pub fn EndpointPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let endpoint = Memo::new(move |_| params.read().get("endpoint").unwrap_or_default());
    let actions = Actions {
        update: ServerAction::new(),
        add: ServerAction::new(),
        change: ServerAction::new(),
        start: ServerAction::new(),
        stop: ServerAction::new(),
        delete: ServerAction::new(),
        traffic: ServerAction::new(),
        row_error: RwSignal::new(None),
        last_changed: RwSignal::new(String::new()),
    };
    watch_row_errors(actions);
    let data = Resource::new(
        move || {
            let changes = (
                actions.update.version().get(),
                actions.add.version().get(),
                actions.change.version().get(),
                actions.start.version().get(),
                actions.stop.version().get(),
                actions.delete.version().get(),
                actions.traffic.version().get(),
            );
            (path(), endpoint.get(), changes)
        },
        |(path, endpoint, _)| get_endpoint(path, endpoint),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <Endpoint view actions/> })
            })}
        </Suspense>
    }
}

/// Keeps `row_error` on the last answer of a row button (Start, Stop, Delete); without
/// JavaScript a refused change comes back in the page's URL, already in its action.
fn watch_row_errors(actions: Actions) {
    let start = actions.start.value();
    let stop = actions.stop.value();
    let delete = actions.delete.value();
    let returned = start
        .get_untracked()
        .and_then(Result::err)
        .or_else(|| stop.get_untracked().and_then(Result::err))
        .or_else(|| delete.get_untracked().and_then(Result::err));
    actions.row_error.set(returned);
    let set = move |result: Option<Result<(), AppError>>| {
        actions.row_error.set(result.and_then(Result::err))
    };
    Effect::watch(move || start.get(), move |r, _, _| set(r.clone()), false);
    Effect::watch(move || stop.get(), move |r, _, _| set(r.clone()), false);
    Effect::watch(move || delete.get(), move |r, _, _| set(r.clone()), false);
}

#[component]
fn Endpoint(view: EndpointView, actions: Actions) -> impl IntoView {
    let ws = view.workspace.clone();
    let endpoint = view.endpoint.clone();
    let may = |action| view.permitted.contains(&action);
    let may_write = may(Action::EndpointsWrite);
    let deployments = view.deployments.clone();
    let traffic_form = (may_write && !deployments.is_empty()).then(|| {
        view! { <SetTrafficForm ws=ws.clone() endpoint=endpoint.name.clone() deployments=deployments.clone() action=actions.traffic/> }
    });
    let writes = may_write.then(|| {
        let changes = deployments
            .iter()
            .map(|d| view! { <EditDeploymentForm ws=ws.clone() endpoint=endpoint.name.clone() deployment=d.clone() action=actions.change last_sent=actions.last_changed/> })
            .collect_view();
        view! {
            <AddDeploymentForm ws=ws.clone() endpoint=endpoint.name.clone() first=deployments.is_empty() action=actions.add/>
            {changes}
            <EditEndpointForm ws=ws.clone() endpoint=endpoint.clone() action=actions.update/>
        }
    });
    let delete = may(Action::EndpointsDelete).then(|| {
        view! { <DeleteEndpointForm ws=ws.clone() name=endpoint.name.clone() deployments=endpoint.deployment_count/> }
    });
    let row_error = actions.row_error;
    let row_alert = move || {
        row_error.get().map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })
    };
    let tags = endpoint
        .tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    let trail = vec![
        ("Endpoints".to_owned(), Some(format!("{}/endpoints", ws.url()))),
        (endpoint.name.clone(), None),
    ];
    let table = DeploymentsTable(DeploymentsTableProps {
        ws: ws.clone(),
        endpoint: endpoint.name.clone(),
        deployments: deployments.clone(),
        permitted: view.permitted.clone(),
        actions,
    });
    view! {
        <Title text=format!("{} · Endpoints", endpoint.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{endpoint.name.clone()}</h1>
                    <p class="muted">
                        <EndpointStateBadge state=endpoint.state/>
                        {format!(" Online endpoint · created {} by {}", date_time(endpoint.created_at), endpoint.created_by)}
                    </p>
                </div>
            </div>
            <section class="panel">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"State"</dt>
                    <dd>{state_text(&view)}</dd>
                    <dt>"Authentication"</dt>
                    <dd>{endpoint.auth_mode.label()}</dd>
                    <dt>"Description"</dt>
                    <dd>{if endpoint.description.is_empty() { "—".to_owned() } else { endpoint.description.clone() }}</dd>
                    <dt>"Tags"</dt>
                    <dd><ul class="tags">{tags}</ul></dd>
                    <dt>"Last changed"</dt>
                    <dd>{date_time(endpoint.updated_at)}</dd>
                </dl>
            </section>
            <section class="panel">
                <h2>"Traffic"</h2>
                <TrafficBar deployments=deployments.clone()/>
                {traffic_form}
            </section>
            <h2>"Deployments"</h2>
            {row_alert}
            {table}
            {writes}
            {delete}
            {view.activity.clone().map(|events| view! { <ItemActivity events/> })}
    }
    .into_any()
}

/// What the endpoint's state means for its callers.
fn state_text(view: &EndpointView) -> String {
    let stopped = view.deployments.iter().filter(|d| d.state == DeploymentState::Stopped).count();
    let label = view.endpoint.state.label();
    match (view.deployments.len(), stopped) {
        (0, _) => format!("{label}: add a deployment to serve requests."),
        (_, 0) => format!("{label}: every deployment is running."),
        (n, s) if s == n => format!("{label}: no deployment runs, so nothing is served."),
        (n, s) => format!("{label}: {s} of {n} deployments stopped; the others take the traffic."),
    }
}

#[component]
fn DeploymentsTable(
    ws: WorkspaceCrumbs,
    endpoint: String,
    deployments: Vec<DeploymentView>,
    permitted: Vec<Action>,
    actions: Actions,
) -> impl IntoView {
    if deployments.is_empty() {
        return view! { <p class="muted">"No deployments yet."</p> }.into_any();
    }
    let may = |action| permitted.contains(&action);
    let (may_write, may_delete, may_read_models) =
        (may(Action::EndpointsWrite), may(Action::EndpointsDelete), may(Action::ModelsRead));
    let rows = deployments
        .into_iter()
        .map(|d| {
            let served = format!("{} version {}", d.model, d.model_version);
            let model = if may_read_models {
                let href = format!("{}#version-{}", model_url(&ws, &d.model), d.model_version);
                view! { <a href=href>{served}</a> }.into_any()
            } else {
                view! { <span>{served}</span> }.into_any()
            };
            let archived = (d.model_stage == ModelStage::Archived)
                .then(|| view! { " " <StageBadge stage=d.model_stage/> });
            let power = may_write.then(|| view! { <PowerForm ws=ws.clone() endpoint=endpoint.clone() deployment=d.name.clone() state=d.state actions/> });
            let hidden = hidden_endpoint(&ws, &endpoint);
            let name = d.name.clone();
            let delete = may_delete.then(move || {
                let action = actions.delete;
                view! {
                    <ActionForm action=action attr:class="inline-form">
                        {hidden}
                        <input type="hidden" name=fields::DEPLOYMENT value=name.clone()/>
                        <button type="submit" class="danger" aria-label=format!("Delete {name}")>"Delete"</button>
                    </ActionForm>
                }
            });
            view! {
                <tr>
                    <th scope="row"><a href=deployment_url(&ws, &endpoint, &d.name)>{d.name.clone()}</a></th>
                    <td><span class=format!("status status-{}", d.state.as_str())>{d.state.label()}</span></td>
                    <td>{model}{archived}</td>
                    <td>{format!("{} × {}", d.instance_count, d.instance_type)}</td>
                    <td class="number">{format!("{}%", d.traffic_percent)}</td>
                    <td class="row-actions">{power}{delete}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table deployments">
                <thead>
                    <tr>
                        <th scope="col">"Deployment"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Model version"</th>
                        <th scope="col">"Instances"</th>
                        <th scope="col" class="number">"Traffic"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Start for a stopped deployment, Stop for a running one; a form that works without
/// JavaScript.
#[component]
fn PowerForm(
    ws: WorkspaceCrumbs,
    endpoint: String,
    deployment: String,
    state: DeploymentState,
    actions: Actions,
) -> impl IntoView {
    let inputs = view! {
        {hidden_endpoint(&ws, &endpoint)}
        <input type="hidden" name=fields::DEPLOYMENT value=deployment.clone()/>
    };
    match state {
        DeploymentState::Stopped => view! {
            <ActionForm action=actions.start attr:class="inline-form">
                {inputs}
                <button type="submit" aria-label=format!("Start {deployment}")>"Start"</button>
            </ActionForm>
        }
        .into_any(),
        DeploymentState::Succeeded => view! {
            <ActionForm action=actions.stop attr:class="inline-form">
                {inputs}
                <button type="submit" aria-label=format!("Stop {deployment}")>"Stop"</button>
            </ActionForm>
        }
        .into_any(),
    }
}
