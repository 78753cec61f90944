//! The forms that create, change and delete endpoints, and add or change their deployments.
//! Every one works without JavaScript (plain forms posting the server function's fields).

use leptos::prelude::*;

use crate::api::endpoints::{
    fields, CreateDeployment, CreateEndpoint, DeleteEndpoint, DeploymentView, EndpointSummary,
    UpdateDeployment, UpdateEndpoint,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::compute::{DEFAULT_VM_SIZE, VM_SIZES};
use crate::domain::endpoint::AuthMode;
use crate::domain::{DeploymentName, EndpointName, Tags};
use crate::error::AppError;
use crate::ui::form::{
    action_done, action_error, Check, ConfirmNameField, Field, FormAlert, FormDone, SelectField,
    SubmitButton, TextAreaField, WorkspaceFields,
};

/// The hidden fields naming the endpoint: its workspace and name.
pub fn hidden_endpoint(ws: &WorkspaceCrumbs, endpoint: &str) -> impl IntoView {
    view! {
        <WorkspaceFields path=ws.path()/>
        <input type="hidden" name="endpoint" value=endpoint.to_owned()/>
    }
}

fn auth_options(current: AuthMode) -> impl IntoView {
    AuthMode::ALL
        .map(|m| view! { <option value=m.as_str() selected=m == current>{m.label()}</option> })
        .collect_view()
}

#[component]
pub fn CreateEndpointForm(ws: WorkspaceCrumbs) -> impl IntoView {
    let action = ServerAction::<CreateEndpoint>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"New endpoint"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <Field label="Name" name=fields::NAME hint=EndpointName::RULE server_error=error validate=Check::EndpointName/>
                <SelectField label="Authentication" name=fields::AUTH_MODE hint="Keys do not expire; tokens do." server_error=error>
                    {auth_options(AuthMode::Key)}
                </SelectField>
                <TextAreaField label="Description" name=fields::DESCRIPTION rows=2 server_error=error validate=Check::Description/>
                <TextAreaField label="Tags" name=fields::TAGS rows=2 hint="One key=value per line." server_error=error validate=Check::Tags/>
                <SubmitButton label="Create endpoint" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn EditEndpointForm(
    ws: WorkspaceCrumbs,
    endpoint: EndpointSummary,
    action: ServerAction<UpdateEndpoint>,
) -> impl IntoView {
    let error = action_error(action.value());
    let saved = view! { <FormDone when=action_done(action) text="Saved."/> };
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Edit endpoint"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved}
                {hidden_endpoint(&ws, &endpoint.name)}
                <SelectField label="Authentication" name=fields::AUTH_MODE id="endpoint-auth-mode" server_error=error>
                    {auth_options(endpoint.auth_mode)}
                </SelectField>
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    id="endpoint-description"
                    rows=2
                    value=endpoint.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    id="endpoint-tags"
                    rows=2
                    value=Tags::from_pairs(endpoint.tags.clone()).to_text()
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeleteEndpointForm(ws: WorkspaceCrumbs, name: String, deployments: i64) -> impl IntoView {
    let action = ServerAction::<DeleteEndpoint>::new();
    let error = action_error(action.value());
    let what = match deployments {
        0 => "Deletes the endpoint.".to_owned(),
        1 => "Deletes the endpoint and its deployment.".to_owned(),
        n => format!("Deletes the endpoint and its {n} deployments."),
    };
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete endpoint"</h2></summary>
            <p>{what} " Callers get no answer from it any more. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden_endpoint(&ws, &name)}
                <ConfirmNameField label="Endpoint name" hint="Type the endpoint's name to confirm." name server_error=error/>
                <SubmitButton label="Delete endpoint" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}

/// A labelled input whose id is made per deployment (several forms share the page), with the
/// server's message for its field.
fn input_field(
    label: &'static str,
    name: &'static str,
    id: String,
    (input_type, value): (&'static str, String),
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.read().as_ref().and_then(|e| e.for_field(name).map(str::to_owned));
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=input_type value=value aria-describedby=error_id.clone()/>
            {move || message().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}

/// What a deployment serves and on what: model, version, instance type and count.
fn serving_fields(
    prefix: &str,
    current: Option<&DeploymentView>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let model = current.map(|d| d.model.clone()).unwrap_or_default();
    let version = current.map(|d| d.model_version.to_string()).unwrap_or_default();
    let size = current.map(|d| d.instance_type.clone()).unwrap_or(DEFAULT_VM_SIZE.to_owned());
    let count = current.map(|d| d.instance_count.to_string()).unwrap_or("1".to_owned());
    let size_id = format!("{prefix}-instance-type");
    let size_message = move || {
        error.read().as_ref().and_then(|e| e.for_field(fields::INSTANCE_TYPE).map(str::to_owned))
    };
    view! {
        {input_field("Model", fields::MODEL, format!("{prefix}-model"), ("text", model), error)}
        {input_field("Model version", fields::MODEL_VERSION, format!("{prefix}-model-version"), ("number", version), error)}
        <div class="field">
            <label for=size_id.clone()>"Instance type"</label>
            <select id=size_id name=fields::INSTANCE_TYPE>
                {VM_SIZES
                    .iter()
                    .map(|s| view! { <option value=s.name selected=s.name == size>{s.label()}</option> })
                    .collect_view()}
            </select>
            {move || size_message().map(|text| view! { <p class="field-error">{text}</p> })}
        </div>
        {input_field("Instance count (1 to 20)", fields::INSTANCE_COUNT, format!("{prefix}-instance-count"), ("number", count), error)}
    }
}

#[component]
pub fn AddDeploymentForm(
    ws: WorkspaceCrumbs,
    endpoint: String,
    first: bool,
    action: ServerAction<CreateDeployment>,
) -> impl IntoView {
    let error = action_error(action.value());
    let traffic = if first {
        "The first deployment receives all the traffic."
    } else {
        "A new deployment receives no traffic until you set it."
    };
    view! {
        <details class="panel narrow-left" open=first>
            <summary><h2>"Add a deployment"</h2></summary>
            <p class="muted">{traffic}</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden_endpoint(&ws, &endpoint)}
                <Field label="Deployment name" name=fields::NAME id="new-deployment-name" hint=DeploymentName::RULE server_error=error validate=Check::DeploymentName/>
                {serving_fields("new-deployment", None, error)}
                <SubmitButton label="Add deployment" busy_label="Adding…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn EditDeploymentForm(
    ws: WorkspaceCrumbs,
    endpoint: String,
    deployment: DeploymentView,
    action: ServerAction<UpdateDeployment>,
    /// The deployment whose form was sent last (empty without JavaScript): only its form shows
    /// the answer.
    last_sent: RwSignal<String>,
) -> impl IntoView {
    let name = deployment.name.clone();
    let error = {
        let name = name.clone();
        Signal::derive(move || {
            let mine = last_sent.with(|sent| sent.is_empty() || *sent == name);
            mine.then(|| action.value().get().and_then(Result::err)).flatten()
        })
    };
    let submitted = name.clone();
    let prefix = format!("deployment-{}", name.to_lowercase());
    view! {
        <details class="panel narrow-left">
            <summary><h3>{format!("Change {name}")}</h3></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true on:submit=move |_| last_sent.set(submitted.clone())>
                <FormAlert server_error=error/>
                {hidden_endpoint(&ws, &endpoint)}
                <input type="hidden" name=fields::DEPLOYMENT value=name.clone()/>
                {serving_fields(&prefix, Some(&deployment), error)}
                <SubmitButton label="Save deployment" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}
