//! The forms that create and change compute. One creation form serves every kind: node counts
//! show for clusters, owner and idle shutdown for instances (by style, so without JavaScript
//! too), and the server reads only the fields that apply to the kind.

use leptos::prelude::*;

use crate::api::computes::{fields, ComputeSummary, CreateCompute, UpdateCompute};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::compute::{DEFAULT_VM_SIZE, VM_SIZES};
use crate::domain::{ComputeKind, ComputeName, Tags};
use crate::error::AppError;
use crate::ui::form::{
    action_done, action_error, Check, Field, FormAlert, FormDone, SelectField, SubmitButton,
    TextAreaField, WorkspaceFields,
};

/// Minimum and maximum node counts of a cluster.
#[component]
fn NodeFields(
    server_error: Signal<Option<AppError>>,
    min: String,
    max: String,
    /// Element ids: each form on a page needs its own.
    ids: (&'static str, &'static str),
) -> impl IntoView {
    let (min_id, max_id) = ids;
    view! {
        <Field
            label="Minimum nodes"
            name=fields::MIN_NODES
            id=min_id
            input_type="number"
            value=min
            hint="0 lets the cluster scale down to no nodes, and no cost, when idle."
            server_error
            validate=Check::MinNodes
        />
        <Field
            label="Maximum nodes"
            name=fields::MAX_NODES
            id=max_id
            input_type="number"
            value=max
            hint="1 to 100."
            server_error
            validate=Check::MaxNodes
        />
    }
}

/// Minutes of idleness before an instance shuts down.
#[component]
fn IdleShutdownField(
    server_error: Signal<Option<AppError>>,
    value: String,
    id: &'static str,
) -> impl IntoView {
    view! {
        <Field
            label="Idle shutdown (minutes)"
            name=fields::IDLE_SHUTDOWN
            id=id
            input_type="number"
            value
            required=false
            hint="Shut down after this many idle minutes; 0 never (up to 10080, a week)."
            server_error
            validate=Check::IdleShutdown
        />
    }
}

#[component]
pub fn CreateComputeForm(ws: WorkspaceCrumbs) -> impl IntoView {
    let action = ServerAction::<CreateCompute>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"New compute"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint=ComputeName::RULE
                    server_error=error
                    validate=Check::ComputeName
                />
                // The fieldsets below show for their kind only, by style (`main.css`): with or
                // without script.
                <SelectField label="Compute type" name=fields::KIND server_error=error>
                    {ComputeKind::ALL
                        .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                        .collect_view()}
                </SelectField>
                <SelectField label="Virtual machine size" name=fields::VM_SIZE server_error=error>
                    {VM_SIZES
                        .iter()
                        .map(|s| view! { <option value=s.name selected=s.name == DEFAULT_VM_SIZE>{s.label()}</option> })
                        .collect_view()}
                </SelectField>
                <fieldset class="kind-fields" data-kind=ComputeKind::Cluster.as_str()>
                    <legend>"Cluster nodes (clusters only)"</legend>
                    <NodeFields
                        server_error=error
                        min="0".to_owned()
                        max="4".to_owned()
                        ids=("new-compute-min-nodes", "new-compute-max-nodes")
                    />
                </fieldset>
                <fieldset class="kind-fields" data-kind=ComputeKind::Instance.as_str()>
                    <legend>"Compute instance (instances only)"</legend>
                    <Field
                        label="Assigned to"
                        name=fields::OWNER
                        input_type="email"
                        required=false
                        hint="The email of the person who uses it; leave empty for yourself."
                        server_error=error
                    />
                    <IdleShutdownField
                        server_error=error
                        value="60".to_owned()
                        id="new-compute-idle-shutdown"
                    />
                </fieldset>
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
                <SubmitButton label="Create compute" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// Description, tags and the sizing that applies to the compute's kind.
#[component]
pub fn EditComputeForm(
    ws: WorkspaceCrumbs,
    compute: ComputeSummary,
    action: ServerAction<UpdateCompute>,
) -> impl IntoView {
    let error = action_error(action.value());
    let saved = view! { <FormDone when=action_done(action) text="Saved."/> };
    let sizing = match compute.kind {
        ComputeKind::Cluster => view! {
            <NodeFields
                server_error=error
                min=compute.min_nodes.to_string()
                max=compute.max_nodes.to_string()
                ids=("compute-min-nodes", "compute-max-nodes")
            />
        }
        .into_any(),
        ComputeKind::Instance => view! {
            <IdleShutdownField
                server_error=error
                value=compute.idle_shutdown_minutes.to_string()
                id="compute-idle-shutdown"
            />
        }
        .into_any(),
        ComputeKind::Attached => ().into_any(),
    };
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Edit compute"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved}
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name="compute" value=compute.name.clone()/>
                {sizing}
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    id="compute-description"
                    rows=2
                    value=compute.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    id="compute-tags"
                    rows=2
                    value=Tags::from_pairs(compute.tags.clone()).to_text()
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}
