//! One compute target: its facts and tags, Start/Stop/Restart for those allowed, its recent
//! activity, and forms to change or delete it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::compute_form::EditComputeForm;
use super::computes::ComputeStateBadge;
use crate::api::computes::{
    get_compute, ComputeView, DeleteCompute, RestartCompute, StartCompute, StopCompute,
    UpdateCompute,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::compute::PowerAction;
use crate::domain::ComputeKind;
use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, ConfirmNameField, FormAlert, SubmitButton, WorkspaceFields};
use crate::ui::format::date_time;
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

/// The page's actions: made once, outside the loaded content, so the content can refetch
/// after each of them.
#[derive(Clone, Copy)]
struct Actions {
    start: ServerAction<StartCompute>,
    stop: ServerAction<StopCompute>,
    restart: ServerAction<RestartCompute>,
    update: ServerAction<UpdateCompute>,
    /// The last power change's error, whichever button it came from.
    power_error: RwSignal<Option<AppError>>,
}

#[component]
pub fn ComputePage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let compute = Memo::new(move |_| params.read().get("compute").unwrap_or_default());
    let actions = Actions {
        start: ServerAction::new(),
        stop: ServerAction::new(),
        restart: ServerAction::new(),
        update: ServerAction::new(),
        power_error: RwSignal::new(None),
    };
    let power_values = [actions.start.value(), actions.stop.value(), actions.restart.value()];
    // Without JavaScript a refused change comes back in the page's URL, already in its action.
    let returned = power_values.iter().find_map(|v| v.get_untracked().and_then(Result::err));
    actions.power_error.set(returned);
    for value in power_values {
        Effect::watch(
            move || value.get(),
            move |result, _, _| actions.power_error.set(result.clone().and_then(Result::err)),
            false,
        );
    }
    let data = Resource::new(
        move || {
            (
                path(),
                compute.get(),
                actions.start.version().get(),
                actions.stop.version().get(),
                actions.restart.version().get(),
                actions.update.version().get(),
            )
        },
        |(path, compute, ..)| get_compute(path, compute),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <Compute view actions/> })
            })}
        </Suspense>
    }
}

#[component]
fn Compute(view: ComputeView, actions: Actions) -> impl IntoView {
    let ws = view.workspace.clone();
    let compute = view.compute.clone();
    let may = |action| view.permitted.contains(&action);
    let edit = may(Action::ComputesWrite).then(|| {
        view! { <EditComputeForm ws=ws.clone() compute=compute.clone() action=actions.update/> }
    });
    let delete = may(Action::ComputesDelete)
        .then(|| view! { <DeleteComputeForm ws=ws.clone() name=compute.name.clone()/> });
    let power = if compute.kind.has_power_controls() {
        compute
            .state
            .possible_actions()
            .into_iter()
            .filter(|p| may(power_action(*p)))
            .map(|p| view! { <PowerForm ws=ws.clone() compute=compute.name.clone() power=p actions/> })
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let power_error = actions.power_error;
    let power_alert = move || {
        power_error.get().map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })
    };
    let tags = compute
        .tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    let instance = compute.kind == ComputeKind::Instance;
    let idle = match compute.idle_shutdown_minutes {
        0 => "Never".to_owned(),
        minutes => format!("After {minutes} idle minutes"),
    };
    let trail = vec![
        ("Compute".to_owned(), Some(format!("{}/compute", ws.url()))),
        (compute.name.clone(), None),
    ];
    view! {
        <Title text=format!("{} · Compute", compute.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{compute.name.clone()}</h1>
                    <p class="muted">
                        <ComputeStateBadge state=compute.state/>
                        " " {compute.kind.label()} " · since " {date_time(compute.state_changed_at)}
                    </p>
                </div>
                <div class="actions power-controls">{power}</div>
            </div>
            {power_alert}
            <section class="panel">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"Kind"</dt>
                    <dd>{compute.kind.label()}</dd>
                    <dt>"Virtual machine size"</dt>
                    <dd><code>{compute.vm_size.clone()}</code></dd>
                    <dt>"Nodes"</dt>
                    <dd>{node_text(&compute)}</dd>
                    {instance.then(|| view! {
                        <dt>"Assigned to"</dt>
                        <dd>{compute.owner.clone()}</dd>
                        <dt>"Idle shutdown"</dt>
                        <dd>{idle.clone()}</dd>
                    })}
                    <dt>"Description"</dt>
                    <dd>{if compute.description.is_empty() { "—".to_owned() } else { compute.description.clone() }}</dd>
                    <dt>"Tags"</dt>
                    <dd><ul class="tags">{tags}</ul></dd>
                    <dt>"Created"</dt>
                    <dd>{format!("{} by {}", date_time(compute.created_at), compute.created_by)}</dd>
                    <dt>"Last changed"</dt>
                    <dd>{date_time(compute.updated_at)}</dd>
                </dl>
            </section>
            {view.activity.clone().map(|events| view! { <ItemActivity events/> })}
            {edit}
            {delete}
    }
    .into_any()
}

fn node_text(compute: &crate::api::computes::ComputeSummary) -> String {
    match compute.kind {
        ComputeKind::Cluster => {
            format!("{} to {} (scales with the jobs it runs)", compute.min_nodes, compute.max_nodes)
        }
        ComputeKind::Instance => "1".to_owned(),
        ComputeKind::Attached => "Managed where it runs".to_owned(),
    }
}

fn power_action(power: PowerAction) -> Action {
    match power {
        PowerAction::Start => Action::ComputesStart,
        PowerAction::Stop => Action::ComputesStop,
        PowerAction::Restart => Action::ComputesRestart,
    }
}

/// One power button, as a form that also works without JavaScript.
#[component]
fn PowerForm(
    ws: WorkspaceCrumbs,
    compute: String,
    power: PowerAction,
    actions: Actions,
) -> impl IntoView {
    let inputs = view! {
        <WorkspaceFields path=ws.path()/>
        <input type="hidden" name="compute" value=compute/>
    };
    match power {
        PowerAction::Start => view! {
            <ActionForm action=actions.start attr:class="inline-form">
                {inputs}
                <SubmitButton label="Start" busy_label="Starting…" pending=actions.start.pending()/>
            </ActionForm>
        }
        .into_any(),
        PowerAction::Stop => view! {
            <ActionForm action=actions.stop attr:class="inline-form">
                {inputs}
                <SubmitButton label="Stop" busy_label="Stopping…" pending=actions.stop.pending() class=""/>
            </ActionForm>
        }
        .into_any(),
        PowerAction::Restart => view! {
            <ActionForm action=actions.restart attr:class="inline-form">
                {inputs}
                <SubmitButton label="Restart" busy_label="Restarting…" pending=actions.restart.pending() class=""/>
            </ActionForm>
        }
        .into_any(),
    }
}

#[component]
fn DeleteComputeForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteCompute>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete compute"</h2></summary>
            <p>"Deletes the compute target. Jobs can no longer run on it. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="compute" value=name.clone()/>
                <ConfirmNameField label="Compute name" hint="Type the compute's name to confirm." name server_error=error/>
                <SubmitButton label="Delete compute" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
