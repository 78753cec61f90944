//! One run: its facts, parameters and tags, the model versions registered from it, its metrics
//! as charts, its log (followed while the run is active), and forms to log metrics, change its
//! state, register a model from it or delete it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model_forms::RegisterModelForm;
use super::run_log::RunLog;
use super::run_outputs::RunOutputs;
use super::run_snapshot::RunSnapshotPanel;
use super::runs_table::StatusBadge;
use crate::api::experiments::experiment_url;
use crate::api::models::model_url;
use crate::api::runs::{
    fields, get_run, run_logs, run_outputs, run_series, DeleteRun, LogsView, MetricSeries,
    OutputFile, RunView, UpdateRun, UploadOutput,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::RunStatus;
use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, FormAlert, SelectField, SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::format::{date_time, duration};
use crate::ui::hydration::live_or_island;
use crate::ui::item_activity::ItemActivity;
use crate::ui::metric_chart::{format_value, ChartLine, MetricChart};
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

type RunData = (RunView, Vec<MetricSeries>, LogsView, Vec<OutputFile>);

#[component]
pub fn RunPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let run = Memo::new(move |_| params.read().get("run").unwrap_or_default());
    let update = ServerAction::<UpdateRun>::new();
    let upload = ServerAction::<UploadOutput>::new();
    let data = Resource::new(
        move || (path(), run.get(), update.version().get(), upload.version().get()),
        |(path, run, _, _)| async move {
            let view = get_run(path.clone(), run.clone()).await?;
            let series = run_series(path.clone(), run.clone()).await?;
            let logs = run_logs(path.clone(), run.clone(), 0).await?;
            let outputs = run_outputs(path, run).await?;
            Ok::<RunData, AppError>((view, series, logs, outputs))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |(view, series, logs, outputs)| {
                    view! { <Run view series logs outputs update upload/> }
                })
            })}
        </Suspense>
    }
}

#[component]
fn Run(
    view: RunView,
    series: Vec<MetricSeries>,
    logs: LogsView,
    outputs: Vec<OutputFile>,
    update: ServerAction<UpdateRun>,
    upload: ServerAction<UploadOutput>,
) -> impl IntoView {
    let ws = view.workspace.clone();
    let run = view.run.clone();
    let may = |action| view.permitted.contains(&action);
    let may_write_run = may(Action::RunsWrite);
    let manage = may(Action::RunsWrite)
        .then(|| view! { <LogMetricsForm ws=ws.clone() run=run.name.clone() status=run.status action=update/> });
    let upload_allowed = may(Action::RunsWrite).then_some(upload);
    let delete = may(Action::RunsDelete)
        .then(|| view! { <DeleteRunForm ws=ws.clone() run=run.name.clone()/> });
    let output_paths: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
    let register = may(Action::ModelsWrite).then(|| {
        view! { <RegisterModelForm ws=ws.clone() run=run.name.clone() outputs=output_paths/> }
    });
    let registered = (!view.model_versions.is_empty()).then(|| {
        let links = view
            .model_versions
            .iter()
            .map(|(model, version)| {
                let href = format!("{}#version-{version}", model_url(&ws, model));
                view! { <li><a href=href>{format!("{model} version {version}")}</a></li> }
            })
            .collect_view();
        view! {
            <dt>"Registered as"</dt>
            <dd><ul class="model-links">{links}</ul></dd>
        }
    });
    let trail = vec![
        ("Experiments".to_owned(), Some(format!("{}/experiments", ws.url()))),
        (run.experiment.clone(), Some(experiment_url(&ws, &run.experiment))),
        (run.display_name.clone(), None),
    ];
    let params = if run.params.is_empty() {
        view! { <p class="muted">"No parameters."</p> }.into_any()
    } else {
        view! {
            <table class="table compact">
                <tbody>
                    {run.params.iter().map(|(k, v)| view! { <tr><th scope="row">{k.clone()}</th><td><code>{v.clone()}</code></td></tr> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let metrics = (!run.metrics.is_empty()).then(|| {
        view! {
            <div class="table-scroll">
            <table class="table compact metric-summaries">
                <thead>
                    <tr><th scope="col">"Metric"</th><th scope="col" class="number">"Latest"</th><th scope="col" class="number">"Min"</th><th scope="col" class="number">"Max"</th><th scope="col" class="number">"Points"</th></tr>
                </thead>
                <tbody>
                    {run.metrics.iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.key.clone()}</th>
                            <td class="number">{format_value(m.last)}</td>
                            <td class="number">{format_value(m.min)}</td>
                            <td class="number">{format_value(m.max)}</td>
                            <td class="number">{m.points}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    });
    view! {
        <Title text=format!("{} · Runs", run.display_name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{run.display_name.clone()}</h1>
                    <p class="muted"><StatusBadge status=run.status/> " " <code>{run.name.clone()}</code></p>
                </div>
            </div>
            <section class="panel">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"Experiment"</dt>
                    <dd><a href=experiment_url(&ws, &run.experiment)>{run.experiment.clone()}</a></dd>
                    <dt>"Submitted by"</dt>
                    <dd>{run.user_name.clone()}</dd>
                    <dt>"Created"</dt>
                    <dd>{date_time(run.created_at)}</dd>
                    <dt>"Started"</dt>
                    <dd>{run.started_at.map(date_time).unwrap_or_else(|| "Not yet".into())}</dd>
                    <dt>"Ended"</dt>
                    <dd>{run.ended_at.map(date_time).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Duration"</dt>
                    <dd>{run.duration.map(duration).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Entry point"</dt>
                    <dd>{if run.entry_point.is_empty() { view! { "—" }.into_any() } else { view! { <code>{run.entry_point.clone()}</code> }.into_any() }}</dd>
                    <dt>"Tags"</dt>
                    <dd>
                        <ul class="tags">
                            {run.tags.iter().map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> }).collect_view()}
                        </ul>
                    </dd>
                    {registered}
                </dl>
            </section>
            <div class="two-columns">
                <section class="panel">
                    <h2>"Parameters"</h2>
                    {params}
                </section>
                <section class="panel">
                    <h2>"Metrics"</h2>
                    {metrics.unwrap_or_else(|| view! { <p class="muted">"No metrics logged yet."</p> }.into_any())}
                </section>
            </div>
            {live_or_island(
                || followed_run(ws.clone(), run.name.clone(), series.clone(), logs.clone()),
                || view! { <FollowedRun ws=ws.clone() run=run.name.clone() series=series.clone() logs=logs.clone()/> },
            )}
            <RunOutputs ws=ws.clone() run=run.name.clone() outputs upload=upload_allowed/>
            <RunSnapshotPanel ws=ws.clone() run=run.name.clone() snapshot=view.snapshot.clone() may_upload=may_write_run/>
            {manage}
            {register}
            {view.activity.clone().map(|events| view! { <ItemActivity events/> })}
            {delete}
    }
    .into_any()
}

/// The run's charts and log: an island, since while the run is active both follow what a
/// script logs.
#[island]
fn FollowedRun(
    ws: WorkspaceCrumbs,
    run: String,
    series: Vec<MetricSeries>,
    logs: LogsView,
) -> impl IntoView {
    followed_run(ws, run, series, logs)
}

fn followed_run(
    ws: WorkspaceCrumbs,
    run: String,
    series: Vec<MetricSeries>,
    logs: LogsView,
) -> impl IntoView {
    let status = RwSignal::new(logs.status);
    let series = RwSignal::new(series);
    follow_series(ws.clone(), run.clone(), series, status);
    let charts = Signal::derive(move || {
        series
            .get()
            .into_iter()
            .map(|s| (s.key.clone(), vec![ChartLine { label: s.key, points: s.points }]))
            .collect::<Vec<_>>()
    });
    view! {
        <Charts charts/>
        <RunLog ws run initial=logs status/>
    }
}

/// In the browser: reads the run's metric series again every three seconds while it is
/// active, so charts grow as a script logs.
fn follow_series(
    ws: WorkspaceCrumbs,
    run: String,
    series: RwSignal<Vec<MetricSeries>>,
    status: RwSignal<crate::domain::RunStatus>,
) {
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let in_flight = StoredValue::new(false);
        let tick = move || {
            if status.get_untracked().is_final() || in_flight.get_value() {
                return;
            }
            in_flight.set_value(true);
            let (ws, run) = (ws.clone(), run.clone());
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = run_series(ws.path(), run).await {
                    if series.with_untracked(|old| *old != fresh) {
                        series.set(fresh);
                    }
                }
                in_flight.set_value(false);
            });
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(3)) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ws, run, series, status);
}

/// Charts with shared controls: log scale and smoothing apply to all of them. Live where the
/// page part comes alive anyway (a followed run); else an island of their own.
#[component]
pub fn Charts(#[prop(into)] charts: Signal<Vec<(String, Vec<ChartLine>)>>) -> impl IntoView {
    live_or_island(
        || live_charts(charts),
        || view! { <ChartsIsland charts=charts.get_untracked()/> },
    )
}

#[island]
fn ChartsIsland(charts: Vec<(String, Vec<ChartLine>)>) -> impl IntoView {
    live_charts(Signal::stored(charts))
}

fn live_charts(charts: Signal<Vec<(String, Vec<ChartLine>)>>) -> AnyView {
    let log_scale = RwSignal::new(false);
    let smoothing = RwSignal::new(0.0_f64);
    view! {
        <Show when=move || charts.with(|c| !c.is_empty())>
        <section class="panel">
            <h2>"Charts"</h2>
            <div class="chart-controls">
                <label class="inline-check">
                    <input type="checkbox" prop:checked=move || log_scale.get() on:change=move |ev| log_scale.set(event_target_checked(&ev))/>
                    "Log scale"
                </label>
                <label>
                    "Smoothing "
                    <input
                        type="range"
                        min="0"
                        max="0.95"
                        step="0.05"
                        value="0"
                        prop:value=move || smoothing.get().to_string()
                        on:input=move |ev| smoothing.set(event_target_value(&ev).parse().unwrap_or(0.0))
                    />
                    <output>{move || format!("{:.2}", smoothing.get())}</output>
                </label>
            </div>
            <div class="chart-grid">
                {move || charts
                    .get()
                    .into_iter()
                    .map(|(title, lines)| view! { <MetricChart title lines log_scale=log_scale.into() smoothing=smoothing.into()/> })
                    .collect_view()}
            </div>
        </section>
        </Show>
    }
    .into_any()
}

/// The fields that name a run, for forms that also post without JavaScript.
pub(crate) fn hidden_run(ws: &WorkspaceCrumbs, run: &str) -> impl IntoView {
    view! {
        <WorkspaceFields path=ws.path()/>
        <input type="hidden" name="run" value=run.to_owned()/>
    }
}

#[component]
fn LogMetricsForm(
    ws: WorkspaceCrumbs,
    run: String,
    status: RunStatus,
    action: ServerAction<UpdateRun>,
) -> impl IntoView {
    let error = action_error(action.value());
    if status.is_final() {
        return view! { <p class="muted">{format!("This run is {}: it takes no more metrics or log text.", status.as_str())}</p> }.into_any();
    }
    let next: Vec<RunStatus> =
        RunStatus::ALL.into_iter().filter(|s| *s != status && status.may_become(*s)).collect();
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Log metrics"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden_run(&ws, &run)}
                <TextAreaField
                    label="Metrics"
                    name=fields::METRICS
                    rows=4
                    hint="One point per line: name step value, or name value for the next step (loss 0.42)."
                    server_error=error
                />
                <TextAreaField label="Log text" name=fields::LOG rows=3 server_error=error/>
                <SelectField label="Status" name=fields::STATUS server_error=error>
                    <option value="">{format!("Keep {}", status.label().to_lowercase())}</option>
                    {next.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </SelectField>
                <SubmitButton label="Send" busy_label="Sending…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn DeleteRunForm(ws: WorkspaceCrumbs, run: String) -> impl IntoView {
    let action = ServerAction::<DeleteRun>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete run"</h2></summary>
            <p>"Deletes the run with its metrics and log. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form">
                <FormAlert server_error=error/>
                {hidden_run(&ws, &run)}
                <SubmitButton label="Delete run" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
