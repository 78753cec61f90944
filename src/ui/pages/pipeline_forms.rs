//! The forms that create, change and delete a pipeline. The steps field checks the graph as
//! it is typed (names, dependencies, cycles) with the rules the server enforces; the server
//! also checks that the compute and environments named exist.

use leptos::prelude::*;

use crate::api::pipelines::{
    fields, CreatePipeline, DeletePipeline, PipelineSummary, UpdatePipeline,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::pipeline::{PipelineGraph, SPEC_HELP};
use crate::domain::Tags;
use crate::ui::form::{
    action_done, action_error, Check, ConfirmNameField, Field, FormAlert, FormDone, SubmitButton,
    TextAreaField, WorkspaceFields,
};

const EXAMPLE: &str = "prep: python prep.py\nsplit after prep: python split.py --test 0.2\n\
                       train after prep, split: python train.py --lr 0.01\n";

#[component]
pub fn CreatePipelineForm(ws: WorkspaceCrumbs) -> impl IntoView {
    let action = ServerAction::<CreatePipeline>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"New pipeline"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="Letters, digits, '_', '-' and '.', starting with a letter or digit."
                    server_error=error
                    validate=Check::PipelineName
                />
                <TextAreaField
                    label="Steps"
                    name=fields::STEPS
                    rows=6
                    value=EXAMPLE
                    hint=SPEC_HELP
                    server_error=error
                    validate=Check::PipelineGraph
                />
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    rows=2
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    rows=2
                    hint="One key=value per line."
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Create pipeline" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn EditPipelineForm(
    ws: WorkspaceCrumbs,
    pipeline: PipelineSummary,
    graph: PipelineGraph,
    action: ServerAction<UpdatePipeline>,
) -> impl IntoView {
    let error = action_error(action.value());
    let saved = view! { <FormDone when=action_done(action) text="Saved. Runs already submitted keep their steps."/> };
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Edit pipeline"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved}
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="pipeline" value=pipeline.name.clone()/>
                <TextAreaField
                    label="Steps"
                    name=fields::STEPS
                    id="pipeline-steps"
                    rows=8
                    value=graph.to_text()
                    hint=SPEC_HELP
                    server_error=error
                    validate=Check::PipelineGraph
                />
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    id="pipeline-description"
                    rows=2
                    value=pipeline.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    id="pipeline-tags"
                    rows=2
                    value=Tags::from_pairs(pipeline.tags.clone()).to_text()
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeletePipelineForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<DeletePipeline>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete pipeline"</h2></summary>
            <p>"Deletes the pipeline and all its runs. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="pipeline" value=name.clone()/>
                <ConfirmNameField label="Pipeline name" hint="Type the pipeline's name to confirm." name server_error=error/>
                <SubmitButton label="Delete pipeline" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
