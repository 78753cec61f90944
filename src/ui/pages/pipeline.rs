//! One pipeline: its facts and tags, its graph drawn, the compute and environments it names,
//! its runs (newest first, filtered by status, paged), its activity, and for those allowed a
//! Submit button and the forms to change or delete it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::pipeline_forms::{DeletePipelineForm, EditPipelineForm};
use crate::api::pipelines::{
    get_pipeline, pipeline_run_url, pipeline_url, pipelines_url, PipelineView, SubmitPipeline,
    UpdatePipeline,
};
use crate::authz::Action;
use crate::domain::RunStatus;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, SubmitButton, WorkspaceFields};
use crate::ui::format::{date_time, duration, query_value};
use crate::ui::item_activity::ItemActivity;
use crate::ui::list_page::{choices, EnumSelect};
use crate::ui::pipeline_graph::PipelineGraphView;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn PipelinePage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let url = use_query_map();
    let pipeline = Memo::new(move |_| params.read().get("pipeline").unwrap_or_default());
    let runs_query = Memo::new(move |_| {
        let q = url.read();
        (q.get("run_status").unwrap_or_default(), q.get("after").unwrap_or_default())
    });
    // Made here, outside the loaded content, so the content refetches after a save.
    let update = ServerAction::<UpdatePipeline>::new();
    let submit = ServerAction::<SubmitPipeline>::new();
    let data = Resource::new(
        move || (path(), pipeline.get(), runs_query.get(), update.version().get()),
        |(path, pipeline, (status, after), _)| get_pipeline(path, pipeline, status, after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (status, after) = runs_query.get_untracked();
                loaded(data.await, |view| view! { <Pipeline view update submit status after/> })
            })}
        </Suspense>
    }
}

#[component]
fn Pipeline(
    view: PipelineView,
    update: ServerAction<UpdatePipeline>,
    submit: ServerAction<SubmitPipeline>,
    status: String,
    after: String,
) -> impl IntoView {
    let ws = view.workspace.clone();
    let pipeline = view.pipeline.clone();
    let may = |action| view.permitted.contains(&action);
    let submit_error = action_error(submit.value());
    let submit_form = may(Action::PipelinesWrite).then(|| {
        let (ws, name) = (ws.clone(), pipeline.name.clone());
        view! {
            <ActionForm action=submit attr:class="inline-form">
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="pipeline" value=name/>
                <SubmitButton label="Submit run" busy_label="Submitting…" pending=submit.pending()/>
            </ActionForm>
        }
    });
    let edit = may(Action::PipelinesWrite).then(|| {
        view! { <EditPipelineForm ws=ws.clone() pipeline=pipeline.clone() graph=view.graph.clone() action=update/> }
    });
    let delete = may(Action::PipelinesDelete)
        .then(|| view! { <DeletePipelineForm ws=ws.clone() name=pipeline.name.clone()/> });
    let tags = pipeline
        .tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    let related = if view.related.is_empty() {
        view! { <p class="muted">"The steps name no compute or environment."</p> }.into_any()
    } else {
        view! {
            <ul class="related-items">
                {view.related.iter().map(|item| {
                    let name = match &item.url {
                        Some(url) => view! { <a href=url.clone()>{item.name.clone()}</a> }.into_any(),
                        None => view! { <span>{item.name.clone()}</span> }.into_any(),
                    };
                    view! { <li><span class="muted">{item.kind.clone()} " "</span>{name}</li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let steps = view
        .graph
        .steps
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.name.clone()}</td>
                    <td><code>{s.command.clone()}</code></td>
                    <td>{if s.after.is_empty() { "—".to_owned() } else { s.after.join(", ") }}</td>
                    <td>{s.compute.clone().unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{s.environment.as_ref().map_or("—".to_owned(), ToString::to_string)}</td>
                </tr>
            }
        })
        .collect_view();
    let trail =
        vec![("Pipelines".to_owned(), Some(pipelines_url(&ws))), (pipeline.name.clone(), None)];
    view! {
        <Title text=format!("{} · Pipelines", pipeline.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{pipeline.name.clone()}</h1>
                    <p class="muted">{format!("{} steps · {} runs", pipeline.step_count, pipeline.run_count)}</p>
                </div>
                <div class="actions">{submit_form}</div>
            </div>
            {move || submit_error.get().map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })}
            <section class="panel">
                <h2>"Graph"</h2>
                <PipelineGraphView graph=view.graph.clone()/>
                <div class="table-scroll">
                    <table class="table pipeline-steps">
                        <thead>
                            <tr>
                                <th scope="col">"Step"</th>
                                <th scope="col">"Command"</th>
                                <th scope="col">"After"</th>
                                <th scope="col">"Compute"</th>
                                <th scope="col">"Environment"</th>
                            </tr>
                        </thead>
                        <tbody>{steps}</tbody>
                    </table>
                </div>
            </section>
            <section class="panel">
                <h2>"Details"</h2>
                <dl class="facts">
                    <dt>"Description"</dt>
                    <dd>{if pipeline.description.is_empty() { "—".to_owned() } else { pipeline.description.clone() }}</dd>
                    <dt>"Tags"</dt>
                    <dd><ul class="tags">{tags}</ul></dd>
                    <dt>"Created"</dt>
                    <dd>{format!("{} by {}", date_time(pipeline.created_at), pipeline.created_by)}</dd>
                    <dt>"Last changed"</dt>
                    <dd>{date_time(pipeline.updated_at)}</dd>
                    <dt>"Related"</dt>
                    <dd>{related}</dd>
                </dl>
            </section>
            <RunsSection view=view.clone() status after/>
            {view.activity.clone().map(|events| view! { <ItemActivity events/> })}
            {edit}
            {delete}
    }
    .into_any()
}

/// The pipeline's runs, newest first: a status filter (a GET form) and a link to older runs.
#[component]
fn RunsSection(view: PipelineView, status: String, after: String) -> impl IntoView {
    let ws = view.workspace.clone();
    let name = view.pipeline.name.clone();
    let base = pipeline_url(&ws, &name);
    let older = view.next_runs_after.as_ref().map(|n| {
        let status = if status.is_empty() {
            String::new()
        } else {
            format!("run_status={}&", query_value(&status))
        };
        view! { <a class="button" href=format!("{base}?{status}after={n}")>"Older runs"</a> }
    });
    let newest = (!after.is_empty()).then(|| {
        let href = if status.is_empty() {
            base.clone()
        } else {
            format!("{base}?run_status={}", query_value(&status))
        };
        view! { <a class="button" href=href>"Newest runs"</a> }
    });
    let rows = view
        .runs
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=pipeline_run_url(&ws, &name, r.number)>{format!("Run {}", r.number)}</a></td>
                    <td><span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span></td>
                    <td>{r.submitted_by.clone()}</td>
                    <td>{date_time(r.created_at)}</td>
                    <td>{r.duration.map_or("—".to_owned(), duration)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if view.runs.is_empty() {
        let text = if status.is_empty() { "Not run yet." } else { "No run has this status." };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table pipeline-runs">
                    <thead>
                        <tr>
                            <th scope="col">"Run"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Submitted by"</th>
                            <th scope="col">"Submitted"</th>
                            <th scope="col">"Duration"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Runs"</h2>
            <form method="get" class="filter-form" aria-label="Filter runs">
                <EnumSelect label="Status" name="run_status" selected=status any=true choices=choices(&RunStatus::ALL, RunStatus::as_str, RunStatus::label)/>
                <button type="submit">"Apply"</button>
            </form>
            {table}
            <p class="actions">{newest}{older}</p>
        </section>
    }
}
