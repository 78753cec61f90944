//! One run of a pipeline: its graph coloured by each step's status, a table of the steps with
//! their times, and for those allowed a form to move a step forward and a button to cancel
//! the run.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::pipelines::{
    fields, get_pipeline_run, pipeline_url, pipelines_url, CancelPipelineRun, PipelineRunView,
    SetPipelineStep,
};
use crate::authz::Action;
use crate::domain::RunStatus;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert, SelectField, SubmitButton, WorkspaceFields};
use crate::ui::format::{date_time, duration};
use crate::ui::pipeline_graph::PipelineGraphView;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[derive(Clone, Copy)]
struct Actions {
    set_step: ServerAction<SetPipelineStep>,
    cancel: ServerAction<CancelPipelineRun>,
}

#[component]
pub fn PipelineRunPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let target = Memo::new(move |_| {
        let p = params.read();
        (p.get("pipeline").unwrap_or_default(), p.get("run").unwrap_or_default())
    });
    let actions = Actions { set_step: ServerAction::new(), cancel: ServerAction::new() };
    let data = Resource::new(
        move || {
            (path(), target.get(), actions.set_step.version().get(), actions.cancel.version().get())
        },
        |(path, (pipeline, run), ..)| get_pipeline_run(path, pipeline, run),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <PipelineRun view actions/> })
            })}
        </Suspense>
    }
}

fn when(at: Option<i64>) -> String {
    at.map_or("—".to_owned(), date_time)
}

#[component]
fn PipelineRun(view: PipelineRunView, actions: Actions) -> impl IntoView {
    let ws = view.workspace.clone();
    let run = view.run.clone();
    let may_change = view.permitted.contains(&Action::PipelinesWrite) && !run.status.is_final();
    let statuses: Vec<RunStatus> = view.steps.iter().map(|s| s.status).collect();
    let rows = view
        .steps
        .iter()
        .map(|s| {
            let took = match (s.started_at, s.ended_at) {
                (Some(a), Some(b)) => duration(b - a),
                _ => "—".to_owned(),
            };
            view! {
                <tr data-step=s.name.clone()>
                    <td>{s.name.clone()}</td>
                    <td><span class=format!("status status-{}", s.status.as_str())>{s.status.label()}</span></td>
                    <td>{when(s.started_at)}</td>
                    <td>{when(s.ended_at)}</td>
                    <td>{took}</td>
                </tr>
            }
        })
        .collect_view();
    let controls = may_change.then(|| {
        let open: Vec<String> =
            view.steps.iter().filter(|s| !s.status.is_final()).map(|s| s.name.clone()).collect();
        view! {
            <StepForm view=view.clone() steps=open actions/>
            <CancelForm view=view.clone() actions/>
        }
    });
    let pipeline = view.pipeline.clone();
    let trail = vec![
        ("Pipelines".to_owned(), Some(pipelines_url(&ws))),
        (pipeline.clone(), Some(pipeline_url(&ws, &pipeline))),
        (format!("Run {}", run.number), None),
    ];
    view! {
        <Title text=format!("Run {} · {}", run.number, pipeline)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{format!("{pipeline} · run {}", run.number)}</h1>
                    <p class="muted">
                        <span class=format!("status status-{}", run.status.as_str())>{run.status.label()}</span>
                        " submitted by " {run.submitted_by.clone()} " " {date_time(run.created_at)}
                    </p>
                </div>
            </div>
            <section class="panel">
                <h2>"Steps"</h2>
                <PipelineGraphView graph=view.graph.clone() statuses=statuses/>
                <div class="table-scroll">
                    <table class="table pipeline-run-steps">
                        <thead>
                            <tr>
                                <th scope="col">"Step"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Ended"</th>
                                <th scope="col">"Duration"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <dl class="facts">
                    <dt>"Started"</dt>
                    <dd>{when(run.started_at)}</dd>
                    <dt>"Ended"</dt>
                    <dd>{when(run.ended_at)}</dd>
                    <dt>"Duration"</dt>
                    <dd>{run.duration.map_or("—".to_owned(), duration)}</dd>
                </dl>
            </section>
            {controls}
    }
    .into_any()
}

fn run_inputs(view: &PipelineRunView) -> impl IntoView {
    view! {
        <WorkspaceFields path=view.workspace.path()/>
        <input type="hidden" name="pipeline" value=view.pipeline.clone()/>
        <input type="hidden" name="run" value=view.run.number.to_string()/>
    }
}

/// Moves one unfinished step to a later status.
#[component]
fn StepForm(view: PipelineRunView, steps: Vec<String>, actions: Actions) -> impl IntoView {
    let error = action_error(actions.set_step.value());
    let choices =
        [RunStatus::Running, RunStatus::Completed, RunStatus::Failed, RunStatus::Canceled];
    view! {
        <section class="panel narrow-left">
            <h2>"Change a step"</h2>
            <p class="muted small">
                "Steps move forward only; a step starts once the steps it runs after completed. \
                 A failed or canceled step cancels the steps that wait for it."
            </p>
            <ActionForm action=actions.set_step attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {run_inputs(&view)}
                <SelectField label="Step" name="step" server_error=error>
                    {steps.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </SelectField>
                <SelectField label="New status" name=fields::STATUS server_error=error>
                    {choices.map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </SelectField>
                <SubmitButton label="Change status" busy_label="Changing…" pending=actions.set_step.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn CancelForm(view: PipelineRunView, actions: Actions) -> impl IntoView {
    let error = action_error(actions.cancel.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Cancel the run"</h2>
            <ActionForm action=actions.cancel attr:class="inline-form">
                {run_inputs(&view)}
                <FormAlert server_error=error/>
                <SubmitButton label="Cancel run" busy_label="Canceling…" pending=actions.cancel.pending() class="danger"/>
            </ActionForm>
        </section>
    }
}
