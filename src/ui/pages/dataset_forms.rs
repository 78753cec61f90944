//! The data asset forms: register a version (a URI, or with JavaScript an uploaded file), edit
//! a version's description and tags, delete a version, delete the asset after typing its name.

use leptos::prelude::*;

use crate::api::datasets::{
    fields, DatasetVersionView, DeleteDataset, DeleteDatasetVersion, RegisterDataset,
    UpdateDatasetVersion,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::dataset::DataFormat;
use crate::ui::form::{
    action_done, action_error, Check, ConfirmNameField, Field, FormAlert, FormDone, SelectField,
    SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::upload_field::UploadField;

/// The hidden fields naming the asset: its workspace and name.
fn hidden_dataset(ws: &WorkspaceCrumbs, name: &str) -> impl IntoView {
    view! {
        <WorkspaceFields path=ws.path()/>
        <input type="hidden" name="dataset" value=name.to_owned()/>
    }
}

/// Registers a data asset (`name` empty) or the next version of the asset `name`.
#[component]
pub fn RegisterDatasetForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<RegisterDataset>::new();
    let error = action_error(action.value());
    let heading = if name.is_empty() { "Register a data asset" } else { "Register a new version" };
    let name_field = if name.is_empty() {
        view! { <Field label="Name" name=fields::NAME hint="Letters, digits, '_', '-' and '.', such as iris-training." server_error=error validate=Check::DatasetName/> }.into_any()
    } else {
        view! { <input type="hidden" name=fields::NAME value=name/> }.into_any()
    };
    view! {
        <details class="panel narrow-left">
            <summary><h2>{heading}</h2></summary>
            // A plain form post: the browser sends the file itself (`server::multipart_forms`).
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true attr:enctype="multipart/form-data">
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                {name_field}
                <SelectField label="Format" name=fields::FORMAT id="register-format" server_error=error>
                    {DataFormat::ALL.map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                </SelectField>
                <UploadField
                    label="Upload a file"
                    id="register-file"
                    hint="CSV, JSON lines or Parquet files show their first rows. At most 8 MB."
                    content_field=fields::CONTENT
                    file_name_field=fields::FILE_NAME
                    server_error=error
                />
                <Field
                    label="Or a URI"
                    name=fields::URI
                    required=false
                    hint="azureml://datastores/<datastore>/paths/<path>, https://… or s3://…"
                    server_error=error
                />
                <TextAreaField label="Description" name=fields::DESCRIPTION id="register-description" rows=2 server_error=error validate=Check::Description/>
                <TextAreaField label="Tags" name=fields::TAGS id="register-tags" rows=2 hint="One key=value per line." server_error=error validate=Check::Tags/>
                <SubmitButton label="Register" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn EditVersionForm(
    ws: WorkspaceCrumbs,
    name: String,
    version: DatasetVersionView,
    action: ServerAction<UpdateDatasetVersion>,
) -> impl IntoView {
    let error = action_error(action.value());
    let saved = view! { <FormDone when=action_done(action) text="Saved."/> };
    let tags: Vec<String> = version.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Edit version"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {saved}
                {hidden_dataset(&ws, &name)}
                <input type="hidden" name=fields::VERSION value=version.version.to_string()/>
                <TextAreaField label="Description" name=fields::DESCRIPTION id="edit-description" rows=2 value=version.description.clone() server_error=error validate=Check::Description/>
                <TextAreaField label="Tags" name=fields::TAGS id="edit-tags" rows=3 value=tags.join("\n") hint="One key=value per line." server_error=error validate=Check::Tags/>
                <SubmitButton label="Save" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeleteVersionForm(
    ws: WorkspaceCrumbs,
    name: String,
    version: i64,
    action: ServerAction<DeleteDatasetVersion>,
) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete version"</h2></summary>
            <p>"Deletes this version and its uploaded file; the asset goes with its last version. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form">
                <FormAlert server_error=error/>
                {hidden_dataset(&ws, &name)}
                <input type="hidden" name=fields::VERSION value=version.to_string()/>
                <SubmitButton label="Delete version" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeleteDatasetForm(ws: WorkspaceCrumbs, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteDataset>::new();
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete data asset"</h2></summary>
            <p>"Deletes the data asset, all its versions and their uploaded files. This cannot be undone."</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {hidden_dataset(&ws, &name)}
                <ConfirmNameField label="Data asset name" hint="Type the data asset's name to confirm." name server_error=error/>
                <SubmitButton label="Delete data asset" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
