use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::workspaces::{
    fields, get_workspace, DeleteWorkspace, UpdateWorkspace, WorkspaceView,
};
use crate::authz::Action;
use crate::domain::{Tags, WorkspacePath};
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::form::{
    action_error, Check, ConfirmNameField, Field, FormAlert, SubmitButton, TextAreaField,
    WorkspaceFields,
};
use crate::ui::workspace_frame::workspace_params;

#[component]
pub fn WorkspaceSettingsPage() -> impl IntoView {
    let path = workspace_params();
    let view = Resource::new(path, get_workspace);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(view.await, |ws| view! { <Settings ws/> }) })}
        </Suspense>
    }
}

#[component]
fn Settings(ws: WorkspaceView) -> impl IntoView {
    let card = ws.card.clone();
    let path = WorkspacePath::new(&card.organization_slug, &card.resource_group, &card.name);
    let edit = ws
        .may(Action::WorkspacesWrite)
        .then(|| view! { <EditForm ws=ws.clone() path=path.clone()/> });
    let delete = ws
        .may(Action::WorkspacesDelete)
        .then(|| view! { <DeleteForm name=card.name.clone() path/> });
    let nothing = (!ws.may(Action::WorkspacesWrite) && !ws.may(Action::WorkspacesDelete)).then(
        || view! { <p class="muted">"Your role here does not allow changing this workspace."</p> },
    );
    view! {
        <Title text=format!("Settings · {}", card.display_name)/>
        <Breadcrumbs
            org_slug=card.organization_slug.clone()
            org_name=card.organization_name.clone()
            group=card.resource_group.clone()
            workspace=card.name.clone()
        />
        <h1>"Workspace settings"</h1>
        {nothing}
        {edit}
        {delete}
    }
}

#[component]
fn EditForm(ws: WorkspaceView, path: WorkspacePath) -> impl IntoView {
    let action = ServerAction::<UpdateWorkspace>::new();
    let error = action_error(action.value());
    let tags = Tags::from_pairs(ws.tags.clone()).to_text();
    view! {
        <section class="panel narrow-left">
            <h2>"Details"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path/>
                <Field
                    label="Display name"
                    name=fields::DISPLAY_NAME
                    value=ws.card.display_name.clone()
                    server_error=error
                    validate=Check::DisplayName
                />
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    value=ws.description.clone()
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    hint="One key=value per line, such as team=vision."
                    value=tags
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Save changes" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteForm(name: String, path: WorkspacePath) -> impl IntoView {
    let action = ServerAction::<DeleteWorkspace>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left danger-zone">
            <h2>"Delete this workspace"</h2>
            <p>
                "The workspace disappears for everyone at once. It can be restored from its resource "
                "group's page until its retention period ends; then it is purged for good."
            </p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path/>
                <ConfirmNameField label="Workspace name" hint="Type the workspace's name to confirm." name server_error=error/>
                <SubmitButton label="Delete workspace" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </section>
    }
}
