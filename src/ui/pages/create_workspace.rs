//! Seed 001's creation flow: choose organization and resource group (or a new group), name,
//! display name, environment, description, tags → create → the new workspace's overview.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::workspaces::{
    creation_options, fields, placement_value, CreateWorkspace, CreationOptions,
};
use crate::domain::{workspace_name, Environment};
use crate::ui::form::{
    action_error, Check, Field, FormAlert, SelectField, SubmitButton, TextAreaField,
};

#[component]
pub fn CreateWorkspacePage() -> impl IntoView {
    let options = Resource::new(|| (), |_| creation_options());
    view! {
        <div class="page">
            <Title text="Create a workspace"/>
            <h1>"Create a workspace"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move { loaded(options.await, |options| view! { <CreateForm options/> }) })}
            </Suspense>
        </div>
    }
}

#[component]
fn CreateForm(options: CreationOptions) -> impl IntoView {
    if options.organizations.is_empty() {
        return view! {
            <section class="panel empty-state">
                <p>"A workspace lives in a resource group of an organization, and you have none where you may create one."</p>
                <p><a href="/organizations">"Create an organization"</a> " first, or ask its owner for access."</p>
            </section>
        }
        .into_any();
    }
    let action = ServerAction::<CreateWorkspace>::new();
    let error = action_error(action.value());
    let choices: Vec<(String, Vec<(String, String)>)> = options
        .organizations
        .iter()
        .map(|org| {
            let mut items: Vec<(String, String)> = org
                .groups
                .iter()
                .map(|g| (placement_value(&org.slug, Some(g)), g.clone()))
                .collect();
            if org.may_create_group {
                items.push((placement_value(&org.slug, None), "New resource group…".to_owned()));
            }
            (org.name.clone(), items)
        })
        .collect();
    let first = choices
        .first()
        .and_then(|(_, items)| items.first())
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let placement = RwSignal::new(first);
    // Before hydration (or without JavaScript) the new-group field always shows.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let hide_new_group = move || hydrated.get() && !placement.read().ends_with('/');
    view! {
        <section class="panel narrow-left">
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <SelectField
                    label="Organization and resource group"
                    name=fields::PLACEMENT
                    server_error=error
                    on_change=move |v: String| placement.set(v)
                >
                    {choices
                        .into_iter()
                        .map(|(org, items)| {
                            view! {
                                <optgroup label=org>
                                    {items
                                        .into_iter()
                                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                                        .collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()}
                </SelectField>
                <div class:hidden=hide_new_group>
                    <Field
                        label="New resource group"
                        name=fields::NEW_RESOURCE_GROUP
                        hint="Only when you chose a new resource group above."
                        required=false
                        server_error=error
                        validate=Check::ResourceGroupName
                    />
                </div>
                <Field
                    label="Workspace name"
                    name=fields::NAME
                    hint=workspace_name::RULE
                    server_error=error
                    validate=Check::WorkspaceName
                />
                <Field
                    label="Display name"
                    name=fields::DISPLAY_NAME
                    hint="Optional; up to 260 characters, none of < > * % & : \\ ? + /"
                    required=false
                    server_error=error
                    validate=Check::OptionalDisplayName
                />
                <SelectField label="Environment" name=fields::ENVIRONMENT server_error=error>
                    {Environment::ALL
                        .iter()
                        .map(|e| view! { <option value=e.as_str()>{e.label()}</option> })
                        .collect_view()}
                </SelectField>
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    rows=3
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    hint="Optional; one key=value per line, such as team=vision."
                    rows=3
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Create workspace" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
    .into_any()
}
