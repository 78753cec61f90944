//! One experiment: what it is, its runs (filtered, with chosen columns, selectable for
//! comparison), and forms to submit a run, edit or delete it, as the roles allow.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::runs_table::{fetch_runs, RunFilterForm, RunQuery, RunsTable};
use crate::api::experiments::{
    fields, get_experiment, DeleteExperiment, ExperimentSummary, UpdateExperiment,
};
use crate::api::item_activity::ItemEvent;
use crate::api::runs::{fields as run_fields, CreateRun, RunsPage};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::{RunStatus, Tags};
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_done, action_error, Check, ConfirmNameField, Field, FormAlert, FormDone, SelectField,
    SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::format::date_time;
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn ExperimentPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let experiment = Memo::new(move |_| params.read().get("experiment").unwrap_or_default());
    let query = RunQuery::from_url();
    let update = ServerAction::<UpdateExperiment>::new();
    let page = Resource::new(
        move || (path(), experiment.get(), query.get(), update.version().get()),
        |(path, experiment, q, _)| fetch_runs(path, experiment, q),
    );
    // The activity comes with the experiment's own record, not with its runs.
    let activity = Resource::new(
        move || (path(), experiment.get(), update.version().get()),
        |(path, experiment, _)| get_experiment(path, experiment),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                let events = activity.await.ok().and_then(|view| view.activity);
                loaded(page.await, |page| view! { <Experiment page query update events/> })
            })}
        </Suspense>
    }
}

#[component]
fn Experiment(
    page: RunsPage,
    query: RunQuery,
    update: ServerAction<UpdateExperiment>,
    events: Option<Vec<ItemEvent>>,
) -> impl IntoView {
    let ws = page.workspace.clone();
    let Some(experiment) = page.experiment.clone() else {
        return view! { <p class="muted">"This experiment no longer exists."</p> }.into_any();
    };
    let may = |action| page.permitted.contains(&action);
    let url = format!("{}/experiments/{}", ws.url(), experiment.name);
    let submit = may(Action::RunsSubmit)
        .then(|| view! { <SubmitRunForm ws=ws.clone() experiment=experiment.name.clone()/> });
    let edit = may(Action::ExperimentsWrite)
        .then(|| view! { <EditForm ws=ws.clone() experiment=experiment.clone() action=update/> });
    let delete = may(Action::ExperimentsDelete)
        .then(|| view! { <DeleteForm ws=ws.clone() name=experiment.name.clone()/> });
    let tags = experiment
        .tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    let trail = vec![
        ("Experiments".to_owned(), Some(format!("{}/experiments", ws.url()))),
        (experiment.name.clone(), None),
    ];
    view! {
        <Title text=format!("{} · Experiments", experiment.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{experiment.name.clone()}</h1>
                    <p class="muted">
                        {format!("{} runs · created {} by {}", experiment.run_count, date_time(experiment.created_at), experiment.created_by)}
                    </p>
                </div>
            </div>
            {(!experiment.description.is_empty()).then(|| view! { <p>{experiment.description.clone()}</p> })}
            <ul class="tags">{tags}</ul>
            <h2>"Runs"</h2>
            <RunFilterForm query=query.clone() clear_url=url/>
            <RunsTable page=page.clone() query/>
            {submit}
            {edit}
            {events.map(|events| view! { <ItemActivity events/> })}
            {delete}
    }
    .into_any()
}

#[component]
fn SubmitRunForm(ws: WorkspaceCrumbs, experiment: String) -> impl IntoView {
    let action = ServerAction::<CreateRun>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Submit a run"</h2></summary>
            <p class="muted">"Scripts submit runs through the tracking API; this form does the same by hand."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name=run_fields::EXPERIMENT value=experiment/>
                <Field label="Display name" name=run_fields::DISPLAY_NAME hint="Leave empty for a generated name." required=false server_error=error/>
                <Field label="Entry point" name=run_fields::ENTRY_POINT hint="Such as python train.py --epochs 10" required=false server_error=error/>
                <TextAreaField
                    label="Parameters"
                    name=run_fields::PARAMS
                    rows=3
                    hint="One name=value per line, such as learning_rate=0.001."
                    server_error=error
                    validate=Check::Params
                />
                <TextAreaField label="Tags" name=run_fields::TAGS rows=2 hint="One key=value per line." server_error=error validate=Check::Tags/>
                <SelectField label="Status" name=run_fields::STATUS server_error=error>
                    {RunStatus::ALL.map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </SelectField>
                <SubmitButton label="Submit run" busy_label="Submitting…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
fn EditForm(
    ws: WorkspaceCrumbs,
    experiment: ExperimentSummary,
    action: ServerAction<UpdateExperiment>,
) -> impl IntoView {
    let error = action_error(action.value());
    let saved = view! { <FormDone when=action_done(action) text="Saved."/> };
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Edit experiment"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved}
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="experiment" value=experiment.name.clone()/>
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    id="experiment-description"
                    rows=2
                    value=experiment.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    id="experiment-tags"
                    rows=2
                    value=Tags::from_pairs(experiment.tags.clone()).to_text()
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
fn DeleteForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteExperiment>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete experiment"</h2></summary>
            <p>"Deletes the experiment and all its runs, with their metrics and logs. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="experiment" value=name.clone()/>
                <ConfirmNameField label="Experiment name" hint="Type the experiment's name to confirm." name server_error=error/>
                <SubmitButton label="Delete experiment" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
