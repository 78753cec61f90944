//! A scope's "Access control" page: who holds which role here and where it comes from, and
//! (for those allowed) granting, changing and removing roles.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::check_access::{check_result, CheckAccess};
use super::invitations_panel::{InvitationActions, InvitationsPanel};
use super::scope_params::{scope_from_params, ScopeBreadcrumbs};
use crate::api::access::{
    access_control, fields, AccessView, AssignmentView, ChangeRole, GrantOutcome, GrantRole,
    GrantRoleToGroup, RemoveRole,
};
use crate::api::invitations::{InvitationLink, Invite, InviteResult};
use crate::api::plain_form::KeptAnswer;
use crate::authz::Action;
use crate::domain::ScopePath;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, Check, Field, FormAlert, FormDone, SelectField, SubmitButton};
use crate::ui::island_data::{island_with, reloaded};

#[component]
pub fn AccessControlPage() -> impl IntoView {
    let scope = scope_from_params().get_untracked();
    let person = use_query_map().read_untracked().get("check").filter(|e| !e.is_empty());
    let title = format!("Access control · {}", scope.label());
    let first = {
        let (scope, person) = (scope.clone(), person.clone());
        move || {
            let (scope, person) = (scope.clone(), person.clone());
            async move {
                let kept = KeptAnswer::take_for(
                    vec![GrantRole::PATH, Invite::PATH, InvitationLink::PATH],
                    None,
                )
                .await;
                let access = access_control(scope.to_string()).await;
                let check = check_result(&scope, person).await;
                FirstView { kept: KeptAnswers::of(kept), access, check }
            }
        }
    };
    view! {
        <Title text=title/>
        {island_with(first, move |first| {
            view! { <AccessIsland scope=scope.clone() person=person.clone() first/> }
        })}
    }
}

/// The page's content is one island: a grant, an invitation or a copied link answers in place
/// from its form's result (who was invited, what became of each address, the link itself), and
/// the lists follow every change.
#[island]
fn AccessIsland(scope: ScopePath, person: Option<String>, first: FirstView) -> impl IntoView {
    access_page(scope, person, first)
}

/// What the page shows first, loaded on the server (see `ui::island_data`).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct FirstView {
    kept: KeptAnswers,
    access: Result<AccessView, crate::error::AppError>,
    check: Result<Option<crate::api::access::CheckView>, crate::error::AppError>,
}

/// What this page's forms answered when posted without JavaScript, kept for its next render
/// (see `api::plain_form::KeptAnswer`).
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct KeptAnswers {
    pub granted: Option<GrantOutcome>,
    pub invited: Option<Vec<InviteResult>>,
    /// An invitation's link, with the invitation's id.
    pub link: Option<(String, String)>,
}

impl KeptAnswers {
    fn of(answer: KeptAnswer) -> Self {
        Self {
            granted: answer.of::<GrantRole>().map(|(_, outcome)| outcome),
            invited: answer.of::<Invite>().map(|(_, results)| results),
            link: answer.of::<InvitationLink>(),
        }
    }
}

/// `person`: who "Check access" was asked about (`?check=`), if anyone.
fn access_page(scope: ScopePath, person: Option<String>, first: FirstView) -> impl IntoView {
    let FirstView { kept, access, check } = first;
    let grant = ServerAction::<GrantRole>::new();
    let grant_group = ServerAction::<GrantRoleToGroup>::new();
    let change = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveRole>::new();
    let invitations = InvitationActions::new();
    let loaded_scope = scope.to_string();
    let view = reloaded(
        access,
        move || {
            let given = (grant.version().get(), grant_group.version().get());
            let own = (given, change.version().get(), remove.version().get());
            (own, invitations.versions())
        },
        move |_| access_control(loaded_scope.clone()),
    );
    let actions = Actions { grant, grant_group, change, remove, invitations };
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let (person, kept, check) = (person.clone(), kept.clone(), check.clone());
                    Suspend::new(async move {
                        loaded(view.await, |access| view! { <Access access check person kept actions/> })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    grant: ServerAction<GrantRole>,
    grant_group: ServerAction<GrantRoleToGroup>,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveRole>,
    invitations: InvitationActions,
}

#[component]
fn Access(
    access: AccessView,
    check: Result<Option<crate::api::access::CheckView>, crate::error::AppError>,
    person: Option<String>,
    kept: KeptAnswers,
    actions: Actions,
) -> impl IntoView {
    let scope = access.scope.clone();
    let errors = Signal::derive(move || {
        action_error(actions.change.value()).get().or(action_error(actions.remove.value()).get())
    });
    let rows = access
        .assignments
        .iter()
        .map(|a| view! { <AssignmentRow a=a.clone() access=access.clone() actions/> }.into_any())
        .collect_view();
    let add = access.may(Action::RoleAssignmentsWrite).then(|| {
        view! {
            <GrantForm access=access.clone() kept=kept.granted action=actions.grant/>
            <GroupGrantForm access=access.clone() action=actions.grant_group/>
        }
        .into_any()
    });
    view! {
        <ScopeBreadcrumbs scope=scope.clone() organization_name=access.organization_name.clone()/>
        <div class="page-heading">
            <div>
                <h1>"Access control"</h1>
                <p class="muted">"Who may do what in " {scope.label()} ", and where their role comes from."</p>
            </div>
            <p class="actions">
                {principals_link(&scope)}
                <a class="button" href=format!("{}/activity", scope.url())>"Activity log"</a>
            </p>
        </div>
        <section class="panel">
            <h2>"Role assignments"</h2>
            <FormAlert server_error=errors/>
            <div class="table-scroll">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"Who"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Granted at"</th>
                            <th scope="col"><span class="visually-hidden">"Changes"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        {add}
        <InvitationsPanel access=access.clone() kept_invited=kept.invited kept_link=kept.link actions=actions.invitations/>
        <CheckAccess members=access.members.clone() chosen=person result=check/>
    }
}

#[component]
fn AssignmentRow(a: AssignmentView, access: AccessView, actions: Actions) -> impl IntoView {
    let scope_text = access.scope.to_string();
    let source = if a.inherited {
        view! {
            <span class="muted">"Inherited from " <a href=format!("{}/access", a.scope.url())>{a.scope.label()}</a></span>
        }
        .into_any()
    } else {
        view! { <span>"This " {kind_word(&a.scope)}</span> }.into_any()
    };
    let (id, current_role) = (a.id, a.role.clone());
    let select_id = format!("role-{id}");
    let select_label = format!("New role for {}", a.display_name);
    let remove_label = format!("Remove {} from {}", a.role, a.display_name);
    let scope_for_remove = scope_text.clone();
    // Removing needs write as well as delete (stricter than Azure: see `access/remove`).
    let (may_write, may_delete) =
        (access.may(Action::RoleAssignmentsWrite), access.may(Action::RoleAssignmentsDelete));
    let may_remove = may_write && may_delete;
    let roles = access.roles;
    let change = (!a.inherited && may_write).then(move || {
        let options = roles
            .iter()
            .filter(|r| r.grantable)
            .map(|r| view! { <option value=r.name.clone() selected=r.name == current_role>{r.name.clone()}</option> })
            .collect_view();
        view! {
            <ActionForm action=actions.change attr:class="inline-form">
                <input type="hidden" name="scope" value=scope_text/>
                <input type="hidden" name="assignment" value=id/>
                <label class="visually-hidden" for=select_id.clone()>{select_label}</label>
                <select id=select_id name="role">{options}</select>
                <button type="submit">"Change"</button>
            </ActionForm>
        }
    });
    let remove = (!a.inherited && may_remove).then(move || {
        view! {
            <ActionForm action=actions.remove attr:class="inline-form">
                <input type="hidden" name="scope" value=scope_for_remove/>
                <input type="hidden" name="assignment" value=id/>
                <button type="submit" class="danger" aria-label=remove_label>
                    "Remove"
                </button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <td>
                <strong>{a.display_name.clone()}</strong>
                {a.service_principal.then(|| view! { " " <span class="badge principal-kind">"Service principal"</span> })}
                {a.group.then(|| view! { " " <span class="badge principal-kind">"Group"</span> })}
                <br/>
                <span class="muted small">{group_note(&a, &access.scope)}</span>
            </td>
            <td>
                {a.role.clone()}
                {a.expires_at.map(|at| view! { <br/><span class="muted small">{format!("until {}", crate::ui::format::date_time(at))}</span> })}
            </td>
            <td>{source}</td>
            <td class="row-actions">{change} {remove}</td>
        </tr>
    }
}

/// Under whom an assignment is for: a person's email, or for a group a link to its members.
fn group_note(a: &AssignmentView, scope: &ScopePath) -> impl IntoView {
    match (a.group, scope.organization()) {
        (true, Some(org)) => {
            let holders = if a.held_by.is_empty() {
                "Nobody is in the group yet.".to_owned()
            } else {
                format!("{} via {}", a.held_by.join(", "), a.display_name)
            };
            view! {
                <a href=format!("/organizations/{org}/groups")>"Everyone in the group"</a>
                ": " <span class="held-by">{holders}</span>
            }
            .into_any()
        }
        _ => a.email.clone().into_any(),
    }
}

/// On an organization's page, its groups and service principals: they are given roles here.
fn principals_link(scope: &ScopePath) -> Option<impl IntoView> {
    match scope {
        ScopePath::Organization { org } => Some(view! {
            <a class="button" href=format!("/organizations/{org}/groups")>"Groups"</a>
            <a class="button" href=format!("/organizations/{org}/service-principals")>"Service principals"</a>
        }),
        _ => None,
    }
}

fn kind_word(scope: &ScopePath) -> &'static str {
    match scope {
        ScopePath::Root => "instance",
        ScopePath::Organization { .. } => "organization",
        ScopePath::ResourceGroup { .. } => "resource group",
        ScopePath::Workspace { .. } => "workspace",
    }
}

#[component]
fn GrantForm(
    access: AccessView,
    /// The outcome, when the form was posted without JavaScript.
    kept: Option<GrantOutcome>,
    action: ServerAction<GrantRole>,
) -> impl IntoView {
    let error = action_error(action.value());
    let done = move || {
        action.value().get().and_then(Result::ok).or_else(|| kept.clone()).map(|outcome| {
        let text = match outcome {
            GrantOutcome::Granted { expires_at: None } => "Role given.".to_owned(),
            GrantOutcome::Granted { expires_at: Some(at) } => format!(
                "Role given until {}: your own access to give it ends then.",
                crate::ui::format::date_time(at)
            ),
            GrantOutcome::Invited => "Not in this organization yet: invited. The role is theirs once they accept (see Pending invitations).".to_owned(),
            GrantOutcome::AlreadyInvited => "Not in this organization yet, and already invited here (see Pending invitations).".to_owned(),
        };
        view! { <p class="notice" role="status">{text}</p> }
    })
    };
    let members = access
        .members
        .iter()
        .map(|m| view! { <option value=m.email.clone()>{m.label()}</option> })
        .collect_view();
    let roles = role_options(&access);
    view! {
        <section class="panel narrow-left">
            <h2>"Add a role assignment"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {done}
                <input type="hidden" name=fields::SCOPE value=access.scope.to_string()/>
                <div>
                    <Field
                        label="Email"
                        name=fields::EMAIL
                        input_type="email"
                        list="members"
                        hint="Someone in the organization or one of its service principals (suggested as you type). Anyone else is sent an invitation."
                        server_error=error
                        validate=Check::Email
                    />
                    <datalist id="members">{members}</datalist>
                </div>
                <SelectField label="Role" name=fields::ROLE server_error=error>{roles}</SelectField>
                <SubmitButton label="Add" busy_label="Adding…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// The roles that can be given here, those beyond the caller's own role shown but disabled.
fn role_options(access: &AccessView) -> impl IntoView {
    access
        .roles
        .iter()
        .map(|r| {
            let label = if r.grantable {
                format!("{} — {}", r.name, r.description)
            } else {
                format!("{} (beyond your own role)", r.name)
            };
            view! { <option value=r.name.clone() disabled=!r.grantable>{label}</option> }
        })
        .collect_view()
}

/// Gives one of the organization's groups a role here: everyone in it holds the role.
#[component]
fn GroupGrantForm(access: AccessView, action: ServerAction<GrantRoleToGroup>) -> impl IntoView {
    let error = action_error(action.value());
    // Inside an island there is no router to read `?done=` from: its answer is its value.
    let done = Signal::derive(move || action.value().get().is_some_and(|r| r.is_ok()));
    let org = access.scope.organization().unwrap_or_default().to_owned();
    if access.groups.is_empty() {
        return view! {
            <section class="panel narrow-left">
                <h2>"Give a group a role"</h2>
                <p class="muted">
                    "This organization has no groups yet. "
                    <a href=format!("/organizations/{org}/groups")>"Create one"</a>
                    " to give a team a role at once."
                </p>
            </section>
        }
        .into_any();
    }
    let groups = access
        .groups
        .iter()
        .map(|g| view! { <option value=g.clone()>{g.clone()}</option> })
        .collect_view();
    let roles = role_options(&access);
    view! {
        <section class="panel narrow-left">
            <h2>"Give a group a role"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <FormDone when=done text="Role given to the group: everyone in it holds it from their next request."/>
                <input type="hidden" name=fields::SCOPE value=access.scope.to_string()/>
                <SelectField label="Group" name=fields::GROUP id="field-grant-group" server_error=error>{groups}</SelectField>
                <SelectField label="Role for the group" name=fields::ROLE id="field-grant-group-role" server_error=error>{roles}</SelectField>
                <SubmitButton label="Give role" busy_label="Giving…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
    .into_any()
}
