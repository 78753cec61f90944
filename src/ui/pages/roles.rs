//! An organization's roles: the built-in ones and its custom roles, each exportable as JSON;
//! and, for those allowed, a form to create or edit a custom role (or paste its JSON) that shows
//! as you type which actions it would permit and which patterns match nothing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::roles::{fields, lines, list_roles, with_line, DeleteRole, RolesView, SaveRole};
use crate::authz::role_json::{notes, parse_role_json, to_role_json, unmatched_patterns};
use crate::authz::{Action, RoleDefinition};
use crate::error::AppError;
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, Check, FormAlert, SubmitButton, TextAreaField};
use crate::ui::island_data::{island_with, reloaded};

#[component]
pub fn RolesPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || {
        let org = params.read().get("org").unwrap_or_default();
        let editing = query.read().get("edit");
        let load = {
            let org = org.clone();
            move || list_roles(org.clone())
        };
        island_with(load, move |first| {
            view! { <RolesIsland org=org.clone() editing=editing.clone() first/> }
        })
    }
}

/// The whole page is one island: saving or deleting a role updates the list in place, and the
/// editor previews as the person types. It starts from the list its page loaded
/// (`ui::island_data`).
#[island]
fn RolesIsland(
    org: String,
    editing: Option<String>,
    first: Result<RolesView, AppError>,
) -> impl IntoView {
    let save = ServerAction::<SaveRole>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let roles = reloaded(
        first,
        move || (save.version().get(), delete.version().get()),
        move |_| list_roles(org.clone()),
    );
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new({
                    let editing = editing.clone();
                    async move {
                        loaded(roles.await, |view| view! { <Roles view editing save delete/> })
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Roles(
    view: RolesView,
    editing: Option<String>,
    save: ServerAction<SaveRole>,
    delete: ServerAction<DeleteRole>,
) -> impl IntoView {
    let may = |a| view.permitted.contains(&a);
    let (may_write, may_delete) =
        (may(Action::RoleDefinitionsWrite), may(Action::RoleDefinitionsDelete));
    let delete_error = action_error(delete.value());
    let slug = view.organization_slug.clone();
    let cards = view
        .roles
        .clone()
        .into_iter()
        .map(|role| {
            let slug = slug.clone();
            let name = role.name.clone();
            let edit = (role.is_custom && may_write)
                .then(|| view! { <a class="button" href=format!("?edit={}", role.name)>"Edit"</a> });
            let remove = (role.is_custom && may_delete).then(|| {
                view! {
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="organization" value=slug/>
                        <input type="hidden" name="name" value=name/>
                        <button type="submit" class="danger">"Delete"</button>
                    </ActionForm>
                }
            });
            view! {
                <li class="role-card">
                    <h3>
                        {role.name.clone()}
                        " "
                        <span class="badge">{if role.is_custom { "Custom" } else { "Built-in" }}</span>
                    </h3>
                    <p class="muted">{role.description.clone()}</p>
                    <details>
                        <summary>"Definition (JSON)"</summary>
                        <pre class="json">{to_role_json(&role)}</pre>
                    </details>
                    <p class="actions">{edit} {remove}</p>
                </li>
            }
        })
        .collect_view();
    let draft = editing
        .and_then(|name| view.roles.iter().find(|r| r.is_custom && r.name == name).cloned())
        .map(|role| (Some(role.name.clone()), role))
        .unwrap_or_else(|| {
            (
                None,
                RoleDefinition {
                    name: String::new(),
                    is_custom: true,
                    description: String::new(),
                    actions: Vec::new(),
                    not_actions: Vec::new(),
                    assignable_scopes: vec![format!("/organizations/{}", view.organization_slug)],
                },
            )
        });
    let form = may_write
        .then(|| view! { <RoleForm org=view.organization_slug.clone() draft action=save/> });
    view! {
        <Title text=format!("Roles · {}", view.organization_name)/>
        <Breadcrumbs org_slug=view.organization_slug.clone() org_name=view.organization_name.clone()/>
        <h1>"Roles"</h1>
        <p class="muted">
            "A role is a set of action patterns. Built-in roles follow Azure's; custom roles are "
            "written in the same JSON, so a role made for Azure Machine Learning works here unchanged."
        </p>
        <FormAlert server_error=delete_error/>
        <ul class="role-list">{cards}</ul>
        {form}
    }
}

#[component]
fn RoleForm(
    org: String,
    draft: (Option<String>, RoleDefinition),
    action: ServerAction<SaveRole>,
) -> impl IntoView {
    let (original, role) = draft;
    let error = action_error(action.value());
    let saved = move || action.value().get().and_then(Result::ok);
    let actions = RwSignal::new(role.actions.join("\n"));
    let not_actions = RwSignal::new(role.not_actions.join("\n"));
    let json = RwSignal::new(String::new());
    // The pasted JSON, when there is some (and it reads), is what will be saved.
    let preview = move || {
        let pasted = Some(json.get()).filter(|j| !j.trim().is_empty());
        let role =
            pasted.and_then(|j| parse_role_json(&j).ok()).unwrap_or_else(|| RoleDefinition {
                name: String::new(),
                is_custom: true,
                description: String::new(),
                actions: lines(&actions.get()),
                not_actions: lines(&not_actions.get()),
                assignable_scopes: Vec::new(),
            });
        let permitted: Vec<Action> =
            Action::ALL.iter().copied().filter(|&a| role.permits(a)).collect();
        let mut unmatched = unmatched_patterns(&role.actions);
        unmatched.extend(unmatched_patterns(&role.not_actions));
        (permitted, unmatched, notes(&role))
    };
    let heading = if original.is_some() { "Edit custom role" } else { "Create a custom role" };
    view! {
        <section class="panel narrow-left">
            <h2>{heading}</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {move || saved().map(|saved| {
                    let unmatched = (!saved.unmatched.is_empty()).then(|| view! {
                        <p class="form-warning" role="status">"Saved. These patterns match no action Atelier knows: " {saved.unmatched.join(", ")}</p>
                    });
                    let notes = saved.notes.into_iter().map(|note| view! {
                        <p class="form-warning" role="status">"Saved. " {note}</p>
                    }).collect_view();
                    view! { {unmatched} {notes} }
                })}
                <input type="hidden" name=fields::ORGANIZATION value=org/>
                <input type="hidden" name=fields::ORIGINAL value=original.unwrap_or_default()/>
                <crate::ui::form::Field
                    label="Name"
                    name=fields::NAME
                    value=role.name.clone()
                    hint="Compared ignoring letter case and look-alike forms; no invisible characters."
                    server_error=error
                    validate=Check::RoleName
                />
                <TextAreaField label="Description" name=fields::DESCRIPTION value=role.description.clone() rows=2 server_error=error/>
                <TextAreaField
                    label="Actions"
                    name=fields::ACTIONS
                    hint="One pattern a line; * matches anything, as in Microsoft.MachineLearningServices/workspaces/*/read. Or pick from Known actions below."
                    bind=actions
                    server_error=error
                />
                <TextAreaField
                    label="Not actions"
                    name=fields::NOT_ACTIONS
                    hint="Patterns taken back out of Actions."
                    bind=not_actions
                    server_error=error
                />
                <TextAreaField
                    label="Assignable scopes"
                    name=fields::ASSIGNABLE_SCOPES
                    hint="Where the role can be given, one scope a line."
                    value=role.assignable_scopes.join("\n")
                    rows=2
                    server_error=error
                />
                <div class="role-preview" aria-live="polite">
                    {move || {
                        let (permitted, unmatched, notes) = preview();
                        let warning = (!unmatched.is_empty()).then(|| view! {
                            <p class="form-warning">"Matches no known action: " {unmatched.join(", ")}</p>
                        });
                        let notes = notes.into_iter().map(|note| view! {
                            <p class="form-warning">{note}</p>
                        }).collect_view();
                        view! {
                            {warning}
                            {notes}
                            <details>
                                <summary>{format!("Permits {} of {} actions", permitted.len(), Action::ALL.len())}</summary>
                                <ul class="action-list">
                                    {permitted.into_iter().map(|a| view! { <li><code>{a.as_str()}</code></li> }).collect_view()}
                                </ul>
                            </details>
                        }
                    }}
                </div>
                <KnownActions actions not_actions/>
                <TextAreaField
                    label="Or paste a role definition (JSON)"
                    name=fields::JSON
                    hint="Seed 003's shape, or Azure's; when given, it replaces the fields above."
                    rows=6
                    bind=json
                    server_error=error
                />
                <RoleFileInput json/>
                <SubmitButton label="Save role" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// Every action Atelier knows, filterable, each addable to Actions or Not actions with a click.
#[component]
fn KnownActions(actions: RwSignal<String>, not_actions: RwSignal<String>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let add = |list: RwSignal<String>, action: Action| {
        move |_| list.update(|text| *text = with_line(text, action.as_str()))
    };
    view! {
        <details class="known-actions">
            <summary>"Known actions"</summary>
            <label class="visually-hidden" for="action-filter">"Filter actions"</label>
            <input
                id="action-filter"
                type="search"
                placeholder="Filter actions"
                on:input=move |ev| filter.set(event_target_value(&ev).to_lowercase())
            />
            <ul class="action-list pickable">
                {Action::ALL
                    .iter()
                    .map(|&a| {
                        let shown = move || {
                            let f = filter.get();
                            f.is_empty() || a.as_str().to_lowercase().contains(&f) || a.description().to_lowercase().contains(&f)
                        };
                        view! {
                            <li class:hidden=move || !shown()>
                                <code>{a.as_str()}</code>
                                <span class="muted small">{format!(" — {}", a.description())}</span>
                                <span class="pick">
                                    <button type="button" class="small" aria-label=format!("Add {} to Actions", a.as_str()) on:click=add(actions, a)>"+ Actions"</button>
                                    <button type="button" class="small" aria-label=format!("Add {} to Not actions", a.as_str()) on:click=add(not_actions, a)>"+ Not actions"</button>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </details>
    }
}

/// Reads a chosen `.json` file into the JSON text area (in the browser; the file is not sent
/// as such, its text is).
#[component]
fn RoleFileInput(json: RwSignal<String>) -> impl IntoView {
    let read = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        crate::ui::file_text::read_chosen_file(&ev, move |text| json.set(text));
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, json);
    };
    view! {
        <div class="field">
            <label for="role-file">"Or upload a role definition file"</label>
            <input id="role-file" type="file" accept=".json,application/json" on:change=read/>
        </div>
    }
}
