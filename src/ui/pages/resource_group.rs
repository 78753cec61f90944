use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;
use leptos_router::hooks::use_params_map;

use crate::api::resource_groups::{
    get_resource_group, DeleteResourceGroup, DeletedWorkspace, RenameResourceGroup,
    ResourceGroupView,
};
use crate::api::workspaces::{PurgeWorkspace, RestoreWorkspace};
use crate::authz::Action;
use crate::domain::WorkspacePath;
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::form::{action_error, Check, Field, FormAlert, SubmitButton, WorkspaceFields};
use crate::ui::format::date_time;
use crate::ui::scope_links::ScopeLinks;
use crate::ui::workspace_cards::WorkspaceCards;

#[component]
pub fn ResourceGroupPage() -> impl IntoView {
    let params = use_params_map();
    let path = move || {
        let p = params.read();
        (p.get("org").unwrap_or_default(), p.get("group").unwrap_or_default())
    };
    let restore = ServerAction::<RestoreWorkspace>::new();
    let purge = ServerAction::<PurgeWorkspace>::new();
    let view = Resource::new(
        move || (path(), purge.version().get(), restore.version().get()),
        |((org, group), _, _)| get_resource_group(org, group),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(view.await, |group| view! { <ResourceGroup group restore purge/> })
            })}
        </Suspense>
    }
}

#[component]
fn ResourceGroup(
    group: ResourceGroupView,
    restore: ServerAction<RestoreWorkspace>,
    purge: ServerAction<PurgeWorkspace>,
) -> impl IntoView {
    let may = |action| group.permitted.contains(&action);
    let workspaces = if group.workspaces.is_empty() {
        view! { <p class="muted">"No workspaces in this group."</p> }.into_any()
    } else {
        view! { <WorkspaceCards cards=group.workspaces.clone()/> }.into_any()
    };
    let deleted = (!group.deleted_workspaces.is_empty()).then(|| {
        let (org, name) = (group.organization_slug.clone(), group.name.clone());
        view! { <DeletedWorkspaces org group=name items=group.deleted_workspaces.clone() restore purge/> }
    });
    let rename = may(Action::ResourceGroupsWrite)
        .then(|| view! { <RenameGroupForm org=group.organization_slug.clone() group=group.name.clone()/> });
    let delete = may(Action::ResourceGroupsDelete)
        .then(|| view! { <DeleteGroupForm org=group.organization_slug.clone() group=group.name.clone()/> });
    view! {
        <Title text=group.name.clone()/>
        <Breadcrumbs
            org_slug=group.organization_slug.clone()
            org_name=group.organization_name.clone()
            group=group.name.clone()
        />
        <div class="page-heading">
            <div>
                <h1>{group.name.clone()}</h1>
                <p class="muted">"Resource group · your role: " {group.roles.join(", ")}</p>
            </div>
            <p class="actions">
                <ScopeLinks
                    base=format!("/organizations/{}/resourceGroups/{}", group.organization_slug, group.name)
                    permitted=group.permitted.clone()
                />
            </p>
        </div>
        <section>
            <h2>"Workspaces"</h2>
            {workspaces}
        </section>
        {deleted}
        {rename}
        {delete}
    }
}

#[component]
fn DeletedWorkspaces(
    org: String,
    group: String,
    items: Vec<DeletedWorkspace>,
    restore: ServerAction<RestoreWorkspace>,
    purge: ServerAction<PurgeWorkspace>,
) -> impl IntoView {
    let errors = Signal::derive(move || {
        action_error(restore.value()).get().or(action_error(purge.value()).get())
    });
    view! {
        <section class="panel">
            <h2>"Recently deleted"</h2>
            <p class="muted">"Deleted workspaces can be restored until they are purged."</p>
            <FormAlert server_error=errors/>
            <ul class="plain-list">
                {items
                    .into_iter()
                    .map(|w| {
                        let path = WorkspacePath::new(&org, &group, &w.name);
                        let path_again = path.clone();
                        view! {
                            <li class="deleted-row">
                                <span>
                                    <strong>{w.display_name}</strong>
                                    <span class="muted small">
                                        {format!(" {} · purged {}", w.name, date_time(w.purge_after))}
                                    </span>
                                </span>
                                <ActionForm action=restore attr:class="inline-form">
                                    <WorkspaceFields path=path_again/>
                                    <button type="submit">"Restore"</button>
                                </ActionForm>
                                <ActionForm action=purge attr:class="inline-form">
                                    <WorkspaceFields path/>
                                    <button type="submit" class="danger">"Purge now"</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RenameGroupForm(org: String, group: String) -> impl IntoView {
    let action = ServerAction::<RenameResourceGroup>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Rename"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <input type="hidden" name="organization" value=org/>
                <input type="hidden" name="resource_group" value=group.clone()/>
                <Field label="New name" name="name" value=group server_error=error validate=Check::ResourceGroupName/>
                <SubmitButton label="Rename" busy_label="Renaming…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteGroupForm(org: String, group: String) -> impl IntoView {
    let action = ServerAction::<DeleteResourceGroup>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left danger-zone">
            <h2>"Delete this resource group"</h2>
            <p class="muted">"Only an empty group can be deleted."</p>
            <ActionForm action=action attr:class="stacked-form">
                <FormAlert server_error=error/>
                <input type="hidden" name="organization" value=org/>
                <input type="hidden" name="resource_group" value=group/>
                <SubmitButton label="Delete resource group" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </section>
    }
}
