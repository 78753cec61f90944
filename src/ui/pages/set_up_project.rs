//! Seed 004's project layout in one step: a resource group with development, test and
//! production workspaces.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::hydration::live_or_island;

use crate::api::workspaces::{creation_options, fields, CreationOptions, SetUpProject};
use crate::ui::form::{
    action_error, Check, CheckboxField, Field, FormAlert, SelectField, SubmitButton, TextAreaField,
};

#[component]
pub fn SetUpProjectPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| creation_options());
    view! {
        <div class="page">
            <Title text="Set up a project"/>
            <h1>"Set up a project"</h1>
            <p class="lead">
                "One resource group for the project, holding a development, a test and a production "
                "workspace, each tagged with the project and its environment."
            </p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move { loaded(options.await, |options| view! { <ProjectForm options/> }) })}
            </Suspense>
        </div>
    }
}

#[component]
fn ProjectForm(options: CreationOptions) -> impl IntoView {
    let orgs: Vec<_> = options.organizations.into_iter().filter(|o| o.may_create_group).collect();
    if orgs.is_empty() {
        return view! {
            <section class="panel empty-state">
                <p>"You need an organization where you may create resource groups."</p>
                <p><a href="/organizations">"Create an organization"</a></p>
            </section>
        }
        .into_any();
    }
    let action = ServerAction::<SetUpProject>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <SelectField label="Organization" name=fields::ORGANIZATION server_error=error>
                    {orgs.into_iter().map(|o| view! { <option value=o.slug>{o.name}</option> }).collect_view()}
                </SelectField>
                {live_or_island(
                    || project_name_field(error),
                    || view! { <ProjectNameField server_error=error.get_untracked()/> },
                )}
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    rows=3
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Data scientists"
                    name=fields::DATA_SCIENTISTS
                    hint="Optional; their emails. They get AzureML Data Scientist in development and Reader in test and production."
                    rows=2
                    server_error=error
                />
                <TextAreaField
                    label="Workspace admins"
                    name=fields::WORKSPACE_ADMINS
                    hint="Optional; their emails. They get the Workspace admin role (compute and access) on the whole project."
                    rows=2
                    server_error=error
                />
                <CheckboxField
                    label="Through groups: create the project's \u{201c}data scientists\u{201d} and \u{201c}administrators\u{201d} groups with these people in them, and give the roles to the groups (add people later on the Groups page)"
                    name=fields::THROUGH_GROUPS
                    server_error=error
                />
                <SubmitButton label="Set up project" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The project's name, with what it will create said as it is typed: an island.
#[island]
fn ProjectNameField(server_error: Option<AppError>) -> impl IntoView {
    project_name_field(Signal::stored(server_error))
}

fn project_name_field(server_error: Signal<Option<AppError>>) -> impl IntoView {
    let project = RwSignal::new(String::new());
    let preview = move || {
        let name = project.get().trim().to_owned();
        (!name.is_empty() && Check::ProjectName.run(&name).is_ok()).then(|| {
            format!("Creates resource group {name} with {name}-dev, {name}-test and {name}-prod.")
        })
    };
    view! {
        <div on:input=move |ev| project.set(event_target_value(&ev))>
            <Field
                label="Project name"
                name=fields::PROJECT
                hint="Names the resource group and prefixes the three workspaces."
                server_error
                validate=Check::ProjectName
            />
        </div>
        <p class="muted" aria-live="polite">{preview}</p>
    }
}
