//! How an endpoint's traffic is split: a stacked bar with each deployment's share, and for
//! those allowed one "Set traffic" form that changes every share at once.

use leptos::prelude::*;

use crate::ui::hydration::live_or_island;

use super::endpoint_forms::hidden_endpoint;
use crate::api::endpoints::{DeploymentView, SetTraffic};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::endpoint::DeploymentState;
use crate::ui::form::{action_done, FormDone, SubmitButton};

/// The shares as a bar (one segment per deployment with traffic) and as numbers.
#[component]
pub fn TrafficBar(deployments: Vec<DeploymentView>) -> impl IntoView {
    let segments = deployments
        .iter()
        .enumerate()
        .filter(|(_, d)| d.traffic_percent > 0)
        .map(|(i, d)| {
            view! {
                <span
                    class=format!("traffic-segment traffic-{} share-{}", i % 6, d.traffic_percent.min(100))
                    title=format!("{}: {}%", d.name, d.traffic_percent)
                >
                    {format!("{} {}%", d.name, d.traffic_percent)}
                </span>
            }
        })
        .collect_view();
    let legend = deployments
        .iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <li>
                    <span class=format!("traffic-swatch traffic-{}", i % 6)></span>
                    <strong>{d.name.clone()}</strong> " " {format!("{}%", d.traffic_percent)}
                </li>
            }
        })
        .collect_view();
    let serving = deployments.iter().any(|d| d.traffic_percent > 0);
    view! {
        <div class="traffic-bar" role="img" aria-label="Traffic split">
            {segments}
            {(!serving).then(|| view! { <span class="traffic-none">"No traffic is served"</span> })}
        </div>
        <ul class="traffic-legend">{legend}</ul>
    }
}

#[component]
pub fn SetTrafficForm(
    ws: WorkspaceCrumbs,
    endpoint: String,
    deployments: Vec<DeploymentView>,
    action: ServerAction<SetTraffic>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let message = move || {
        error.get().map(|e| {
            let text = e.message.clone();
            view! { <p class="field-error" id="traffic-error" role="alert">{text}</p> }
        })
    };
    let saved = view! { <FormDone when=action_done(action) text="Traffic saved."/> };
    view! {
        <ActionForm action=action attr:class="traffic-form" attr:novalidate=true attr:aria-label="Set traffic">
            {hidden_endpoint(&ws, &endpoint)}
            {live_or_island(
                || traffic_inputs(deployments.clone()),
                || view! { <TrafficInputs deployments=deployments.clone()/> },
            )}
            {message}
            {saved}
            <SubmitButton label="Set traffic" busy_label="Saving…" pending=action.pending()/>
        </ActionForm>
    }
}

/// One percentage per deployment and their total, added up as the person types: an island.
#[island]
fn TrafficInputs(deployments: Vec<DeploymentView>) -> impl IntoView {
    traffic_inputs(deployments)
}

fn traffic_inputs(deployments: Vec<DeploymentView>) -> impl IntoView {
    let values: Vec<RwSignal<String>> =
        deployments.iter().map(|d| RwSignal::new(d.traffic_percent.to_string())).collect();
    let total = {
        let values = values.clone();
        move || values.iter().map(|v| v.read().trim().parse::<i64>().unwrap_or(0)).sum::<i64>()
    };
    let inputs = deployments
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (d, value))| {
            let id = format!("traffic-{}", d.name.to_lowercase());
            let stopped = (d.state == DeploymentState::Stopped).then_some(" (stopped)");
            view! {
                <div class="field traffic-field">
                    <input type="hidden" name=format!("deployments[{i}]") value=d.name.clone()/>
                    <label for=id.clone()>{format!("{} (%)", d.name)}{stopped}</label>
                    <input
                        id=id
                        name=format!("percents[{i}]")
                        type="number"
                        min="0"
                        max="100"
                        step="1"
                        value=d.traffic_percent.to_string()
                        aria-describedby="traffic-error"
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="traffic-inputs">{inputs}</div>
        <p class="muted small">{move || format!("Total: {}%", total())} " · whole numbers adding up to 100; stopped deployments get 0."</p>
    }
}
