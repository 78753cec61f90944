use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;
use leptos_router::hooks::use_params_map;

use crate::api::organizations::{get_organization, OrganizationView, RenameOrganization};
use crate::api::resource_groups::{fields as group_fields, CreateResourceGroup};
use crate::authz::Action;
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::form::{action_error, Check, Field, FormAlert, SubmitButton};
use crate::ui::scope_links::ScopeLinks;

#[component]
pub fn OrganizationPage() -> impl IntoView {
    let params = use_params_map();
    let org = move || params.read().get("org").unwrap_or_default();
    let rename = ServerAction::<RenameOrganization>::new();
    let view =
        Resource::new(move || (org(), rename.version().get()), |(org, _)| get_organization(org));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(view.await, |org| view! { <Organization org rename/> })
            })}
        </Suspense>
    }
}

#[component]
fn Organization(org: OrganizationView, rename: ServerAction<RenameOrganization>) -> impl IntoView {
    let may = |action| org.permitted.contains(&action);
    let groups = if org.resource_groups.is_empty() {
        view! { <p class="muted">"No resource groups yet."</p> }.into_any()
    } else {
        let base = format!("/organizations/{}/resourceGroups", org.slug);
        view! {
            <ul class="plain-list">
                {org
                    .resource_groups
                    .iter()
                    .map(|g| view! { <li><a href=format!("{base}/{g}")>{g.clone()}</a></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let create_group =
        may(Action::ResourceGroupsWrite).then(|| view! { <CreateGroupForm org=org.slug.clone()/> });
    let (slug, name) = (org.slug.clone(), org.name.clone());
    let rename_form = may(Action::OrganizationsWrite).then(move || {
        let error = action_error(rename.value());
        view! {
            <section class="panel narrow-left">
                <h2>"Rename"</h2>
                <ActionForm action=rename attr:class="stacked-form" attr:novalidate=true>
                    <FormAlert server_error=error/>
                    <input type="hidden" name="organization" value=slug/>
                    <Field
                        label="Name"
                        name="name"
                        value=name
                        server_error=error
                        validate=Check::OrganizationName
                    />
                    <SubmitButton label="Save name" busy_label="Saving…" pending=rename.pending()/>
                </ActionForm>
            </section>
        }
    });
    view! {
        <Title text=org.name.clone()/>
        <Breadcrumbs org_slug=org.slug.clone() org_name=org.name.clone()/>
        <div class="page-heading">
            <div>
                <h1>{org.name.clone()}</h1>
                <p class="muted">"Organization · your role: " {org.roles.join(", ")}</p>
            </div>
            <p class="actions">
                <ScopeLinks base=format!("/organizations/{}", org.slug) permitted=org.permitted.clone()/>
                {org
                    .permitted
                    .contains(&Action::RoleDefinitionsRead)
                    .then(|| view! { <a class="button" href=format!("/organizations/{}/roles", org.slug)>"Roles"</a> })}
                {org
                    .permitted
                    .contains(&Action::RoleAssignmentsRead)
                    .then(|| view! { <a class="button" href=format!("/organizations/{}/service-principals", org.slug)>"Service principals"</a> })}
                {org
                    .permitted
                    .contains(&Action::GroupsRead)
                    .then(|| view! { <a class="button" href=format!("/organizations/{}/groups", org.slug)>"Groups"</a> })}
            </p>
        </div>
        <p class="muted small">"Scope " <code>{format!("/organizations/{}", org.slug)}</code></p>
        <section class="panel">
            <h2>"Resource groups"</h2>
            {groups}
        </section>
        {create_group}
        {rename_form}
    }
}

#[component]
fn CreateGroupForm(org: String) -> impl IntoView {
    let action = ServerAction::<CreateResourceGroup>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Create a resource group"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <input type="hidden" name="organization" value=org/>
                <Field
                    label="Resource group name"
                    name=group_fields::NAME
                    hint=crate::domain::resource_group::RULE
                    server_error=error
                    validate=Check::ResourceGroupName
                />
                <SubmitButton label="Create resource group" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
