//! The model page's forms: edit the model or one of its versions, delete a version, delete the
//! model (after typing its name); and the run page's form registering a model from the run.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

use crate::api::models::{
    fields, DeleteModel, DeleteModelVersion, ModelSummary, ModelVersionView, RegisterModel,
    UpdateModel, UpdateModelVersion,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::Tags;
use crate::error::AppError;
use crate::ui::form::{
    action_done, action_error, Check, ConfirmNameField, Field, FormAlert, FormDone, SelectField,
    SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::hydration::live_or_island;

/// The hidden fields naming the model: its workspace and name.
pub fn hidden_model(ws: &WorkspaceCrumbs, model: &str) -> impl IntoView {
    view! {
        <WorkspaceFields path=ws.path()/>
        <input type="hidden" name="model" value=model.to_owned()/>
    }
}

/// Whether a form's answer is there to read: a plain post reloads the page, and the answer must
/// not sit in a closed panel.
fn answered<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let (done, error) = (action_done(action), action_error(action.value()));
    Signal::derive(move || done.get() || error.read().is_some())
}

fn saved<S>(action: ServerAction<S>) -> impl IntoView
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    view! { <FormDone when=action_done(action) text="Saved."/> }
}

#[component]
pub fn EditModelForm(
    ws: WorkspaceCrumbs,
    model: ModelSummary,
    action: ServerAction<UpdateModel>,
) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left" open=answered(action)>
            <summary><h2>"Edit model"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved(action)}
                {hidden_model(&ws, &model.name)}
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    id="model-description"
                    rows=2
                    value=model.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    id="model-tags"
                    rows=2
                    hint="One key=value per line."
                    value=Tags::from_pairs(model.tags.clone()).to_text()
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

/// Edits one version's description and tags; choosing a version fills in its current ones.
#[component]
pub fn EditVersionForm(
    ws: WorkspaceCrumbs,
    model: String,
    versions: Vec<ModelVersionView>,
    action: ServerAction<UpdateModelVersion>,
) -> impl IntoView {
    let error = action_error(action.value());
    let choices: Vec<VersionTexts> = versions.iter().map(VersionTexts::of).collect();
    let for_island = choices.clone();
    view! {
        <details class="panel narrow-left" open=answered(action)>
            <summary><h2>"Edit a version"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved(action)}
                {hidden_model(&ws, &model)}
                {live_or_island(
                    move || version_inputs(choices, error),
                    move || {
                        let server_error = error.get_untracked();
                        view! { <VersionInputs choices=for_island server_error/> }
                    },
                )}
                <SubmitButton label="Save version" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

/// A version as the edit form offers it: its description and tags as they are typed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VersionTexts {
    version: i64,
    description: String,
    tags: String,
}

impl VersionTexts {
    fn of(v: &ModelVersionView) -> Self {
        Self {
            version: v.version,
            description: v.description.clone(),
            tags: Tags::from_pairs(v.tags.clone()).to_text(),
        }
    }
}

/// The version choice and the fields it fills in, alive in a page rendered on the server.
#[island]
fn VersionInputs(choices: Vec<VersionTexts>, server_error: Option<AppError>) -> impl IntoView {
    version_inputs(choices, Signal::stored(server_error))
}

fn version_inputs(choices: Vec<VersionTexts>, error: Signal<Option<AppError>>) -> impl IntoView {
    let first = choices.first().cloned();
    let description =
        RwSignal::new(first.as_ref().map(|v| v.description.clone()).unwrap_or_default());
    let tags = RwSignal::new(first.map(|v| v.tags).unwrap_or_default());
    let options = choices
        .iter()
        .map(|v| view! { <option value=v.version.to_string()>{format!("Version {}", v.version)}</option> })
        .collect_view();
    let choose = Callback::new(move |chosen: String| {
        if let Some(v) = choices.iter().find(|v| v.version.to_string() == chosen) {
            description.set(v.description.clone());
            tags.set(v.tags.clone());
        }
    });
    view! {
        <SelectField label="Version" name=fields::VERSION id="edit-version" server_error=error on_change=choose>
            {options}
        </SelectField>
        <TextAreaField
            label="Version description"
            name=fields::DESCRIPTION
            id="version-description"
            rows=2
            bind=description
            server_error=error
            validate=Check::Description
        />
        <TextAreaField
            label="Version tags"
            name=fields::TAGS
            id="version-tags"
            rows=2
            hint="One key=value per line."
            bind=tags
            server_error=error
            validate=Check::Tags
        />
    }
}

#[component]
pub fn DeleteVersionForm(
    ws: WorkspaceCrumbs,
    model: String,
    versions: Vec<ModelVersionView>,
    action: ServerAction<DeleteModelVersion>,
) -> impl IntoView {
    let error = action_error(action.value());
    let options = versions
        .iter()
        .map(|v| view! { <option value=v.version.to_string()>{format!("Version {}", v.version)}</option> })
        .collect_view();
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete a version"</h2></summary>
            <p>"Deletes one version; the model and its other versions stay. Its number is not given out again."</p>
            <ActionForm action=action attr:class="stacked-form">
                <FormAlert server_error=error/>
                {hidden_model(&ws, &model)}
                <SelectField label="Version" name=fields::VERSION id="delete-version" server_error=error>
                    {options}
                </SelectField>
                <SubmitButton label="Delete version" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeleteModelForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteModel>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete model"</h2></summary>
            <p>"Deletes the model and all its versions. The runs they came from stay. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden_model(&ws, &name)}
                <ConfirmNameField label="Model name" hint="Type the model's name to confirm." name server_error=error/>
                <SubmitButton label="Delete model" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}

/// Suggestions for the artifact path: every folder holding outputs, then every output.
fn artifact_choices(outputs: &[String]) -> Vec<String> {
    let mut folders: Vec<String> = outputs
        .iter()
        .flat_map(|path| {
            let parts: Vec<&str> = path.split('/').collect();
            (1..parts.len()).map(move |n| parts[..n].join("/"))
        })
        .collect();
    folders.sort();
    folders.dedup();
    folders.into_iter().chain(outputs.iter().cloned()).collect()
}

/// Registers a version of a model (new or existing) from this run, then opens the model. Its
/// files are copied from the run's outputs: `outputs/model` when the run saved one there.
#[component]
pub fn RegisterModelForm(ws: WorkspaceCrumbs, run: String, outputs: Vec<String>) -> impl IntoView {
    let action = ServerAction::<RegisterModel>::new();
    let error = action_error(action.value());
    let choices = artifact_choices(&outputs);
    let suggested = if choices.iter().any(|c| c == "outputs/model") { "outputs/model" } else { "" };
    let options = choices.into_iter().map(|c| view! { <option value=c></option> }).collect_view();
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Register model"</h2></summary>
            <p class="muted">"Keeps what this run produced as a version of a model: a new model, or the next version of an existing one."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <input type="hidden" name=fields::SOURCE_RUN value=run/>
                <Field
                    label="Model name"
                    name=fields::NAME
                    id="register-model-name"
                    hint="Letters, digits, '_', '-' and '.'; an existing name adds a version."
                    server_error=error
                    validate=Check::ModelName
                />
                <Field
                    label="Model files"
                    name=fields::ARTIFACT_PATH
                    id="register-model-artifact"
                    hint="A file or folder in this run's outputs, copied into the version (a folder's files keep their paths below it). Leave empty for none."
                    value=suggested
                    list="register-model-artifacts"
                    required=false
                    server_error=error
                />
                <datalist id="register-model-artifacts">{options}</datalist>
                <Field
                    label="Framework"
                    name=fields::FRAMEWORK
                    id="register-model-framework"
                    hint="Such as PyTorch or scikit-learn."
                    required=false
                    server_error=error
                    validate=Check::Framework
                />
                <TextAreaField
                    label="Version description"
                    name=fields::VERSION_DESCRIPTION
                    id="register-model-version-description"
                    rows=2
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Model description"
                    name=fields::DESCRIPTION
                    id="register-model-description"
                    rows=2
                    hint="For a new model; for an existing one, replaces its description when given."
                    server_error=error
                    validate=Check::Description
                />
                <SubmitButton label="Register model" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_choices_offer_folders_before_files() {
        let outputs = ["outputs/model/MLmodel".to_owned(), "outputs/model/data/w.pth".to_owned()];
        assert_eq!(
            artifact_choices(&outputs),
            [
                "outputs",
                "outputs/model",
                "outputs/model/data",
                "outputs/model/MLmodel",
                "outputs/model/data/w.pth"
            ]
        );
    }
}
