//! `/organizations/{org}/groups`: the organization's groups (teams). Roles given to a group on
//! an Access control page are held by everyone in it. The chosen group (`?group=name`, so each
//! is a link and works without JavaScript) shows its members, and to those allowed, forms to add
//! and remove them, invite people into it (`group_invitations`), rename it and delete it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::group_invitations::{GroupInvitationActions, GroupInviteForm, GroupInvited};
use crate::api::groups::{
    answer_key, fields, list_groups, AddGroupMember, CreateGroup, DeleteGroup, GroupMemberRow,
    GroupRow, GroupsView, InviteToGroup, RemoveGroupMember, UpdateGroup,
};
use crate::api::invitations::{InvitationLink, InviteResult};
use crate::api::plain_form::KeptAnswer;
use crate::authz::Action;
use crate::error::AppError;
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, Check, CheckboxField, ConfirmNameField, Field, FormAlert, SubmitButton,
    TextAreaField,
};
use crate::ui::island_data::{island_with, reloaded};
use crate::ui::table::ChangesTable;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateGroup>,
    update: ServerAction<UpdateGroup>,
    delete: ServerAction<DeleteGroup>,
    add: ServerAction<AddGroupMember>,
    remove: ServerAction<RemoveGroupMember>,
    invitations: GroupInvitationActions,
}

impl Actions {
    fn new() -> Self {
        Self {
            create: ServerAction::new(),
            update: ServerAction::new(),
            delete: ServerAction::new(),
            add: ServerAction::new(),
            remove: ServerAction::new(),
            invitations: GroupInvitationActions::new(),
        }
    }

    /// Moves on every change, so the list follows it.
    fn versions(self) -> ([usize; 5], [usize; 2]) {
        let own = [
            self.create.version().get(),
            self.update.version().get(),
            self.delete.version().get(),
            self.add.version().get(),
            self.remove.version().get(),
        ];
        (own, self.invitations.versions())
    }
}

/// What the invitation forms answered when posted without JavaScript, kept for the page's next
/// render (see `api::plain_form::KeptAnswer`).
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct KeptAnswers {
    /// Each address's outcome, with the group's key (`answer_key`).
    invited: Option<(String, Vec<InviteResult>)>,
    /// An invitation's link, with the invitation's id.
    link: Option<(String, String)>,
}

impl KeptAnswers {
    fn of(answer: KeptAnswer) -> Self {
        Self { invited: answer.of::<InviteToGroup>(), link: answer.of::<InvitationLink>() }
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let org = use_params_map().read_untracked().get("org").unwrap_or_default();
    let chosen = use_query_map().read_untracked().get("group").filter(|g| !g.is_empty());
    let load = {
        let org = org.clone();
        move || {
            let org = org.clone();
            async move {
                let kept =
                    KeptAnswer::take_for(vec![InviteToGroup::PATH, InvitationLink::PATH], None)
                        .await;
                (KeptAnswers::of(kept), list_groups(org).await)
            }
        }
    };
    island_with(load, move |(kept, first)| {
        view! { <GroupsIsland org=org.clone() chosen=chosen.clone() kept first/> }
    })
}

/// The page's content is one island: a member added or removed shows in place. It starts from
/// what its page loaded (`ui::island_data`).
/// `chosen`: the group whose members are shown (`?group=`), if any.
#[island]
fn GroupsIsland(
    org: String,
    chosen: Option<String>,
    kept: KeptAnswers,
    first: Result<GroupsView, AppError>,
) -> impl IntoView {
    let actions = Actions::new();
    let list = reloaded(first, move || actions.versions(), move |_| list_groups(org.clone()));
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let (chosen, kept) = (chosen.clone(), kept.clone());
                    Suspend::new(async move {
                        loaded(list.await, |view| view! { <Groups view chosen kept actions/> })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Groups(
    view: GroupsView,
    chosen: Option<String>,
    kept: KeptAnswers,
    actions: Actions,
) -> impl IntoView {
    let slug = view.organization_slug.clone();
    let found = chosen
        .as_deref()
        .and_then(|name| view.groups.iter().find(|g| g.name.eq_ignore_ascii_case(name)).cloned());
    let chosen_panel = match (found, chosen) {
        (Some(group), _) => view! { <Chosen view=view.clone() group kept actions/> }.into_any(),
        (None, Some(_)) => view! {
            <p class="form-alert" role="alert">"There is no group of that name here."</p>
        }
        .into_any(),
        (None, None) => ().into_any(),
    };
    let table = if view.groups.is_empty() {
        view! {
            <p class="empty-state">
                "No groups yet. Create one such as \u{201c}Administrators\u{201d} or \u{201c}Data scientists\u{201d}, "
                "add people, then give the group a role on an Access control page."
            </p>
        }
        .into_any()
    } else {
        let rows = view.groups.iter().cloned().map(|g| view! { <GroupLine g/> }).collect_view();
        view! {
            <div class="table-scroll">
                <table class="table groups">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Members"</th>
                            <th scope="col">"Role assignments"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let create = view
        .may(Action::GroupsWrite)
        .then(|| view! { <CreateForm org=slug.clone() action=actions.create/> });
    view! {
        <Title text=format!("Groups · {}", view.organization_name)/>
        <Breadcrumbs org_slug=slug.clone() org_name=view.organization_name.clone()/>
        <div class="page-heading">
            <div>
                <h1>"Groups"</h1>
                <p class="muted">
                    "Give roles to teams rather than to one person at a time: everyone in a group "
                    "holds the roles the group is given on Access control pages, and loses them on "
                    "their next request once taken out."
                </p>
            </div>
            <p class="actions">
                <a class="button" href=format!("/organizations/{slug}/access")>"Access control"</a>
            </p>
        </div>
        <section class="panel">
            <h2>"In this organization"</h2>
            {table}
        </section>
        {chosen_panel}
        {create}
    }
}

#[component]
fn GroupLine(g: GroupRow) -> impl IntoView {
    let href = format!("?{}", crate::domain::format::query_pair("group", &g.name));
    view! {
        <tr>
            <th scope="row"><a href=href>{g.name.clone()}</a></th>
            <td>{g.description.clone()}</td>
            <td>{g.members.len()}</td>
            <td>{g.assignments}</td>
        </tr>
    }
}

/// The hidden fields naming the organization and the group a form changes.
pub(super) fn group_fields(org: &str, group: &str) -> impl IntoView {
    view! {
        <input type="hidden" name=fields::ORGANIZATION value=org.to_owned()/>
        <input type="hidden" name=fields::GROUP value=group.to_owned()/>
    }
}

/// The chosen group: its members, and the forms the caller may use on it.
#[component]
fn Chosen(view: GroupsView, group: GroupRow, kept: KeptAnswers, actions: Actions) -> impl IntoView {
    let org = view.organization_slug.clone();
    let may_change_members = view.may_change_members(&group);
    let remove_error = action_error(actions.remove.value());
    let members = if group.members.is_empty() {
        view! { <p class="empty-state">"Nobody is in this group yet: its roles give nothing."</p> }
            .into_any()
    } else {
        let rows = group
            .members
            .iter()
            .cloned()
            .map(|m| {
                let remove = may_change_members.then(|| {
                    view! { <RemoveMember org=org.clone() group=group.name.clone() m=m.clone() action=actions.remove/> }
                });
                view! { <MemberLine m remove/> }
            })
            .collect_view();
        let headings = &["Who", "Email or identity"];
        view! { <ChangesTable class="group-members" headings>{rows}</ChangesTable> }.into_any()
    };
    let add = may_change_members.then(|| {
        let may_appoint = view.may(Action::GroupsWrite);
        view! { <AddMember view=view.clone() group=group.name.clone() may_appoint action=actions.add/> }
    });
    let invite = may_change_members.then(|| {
        let key = answer_key(&group.name);
        let kept_results = kept.invited.filter(|(about, _)| *about == key).map(|(_, r)| r);
        let action = actions.invitations.invite;
        view! { <GroupInviteForm org=org.clone() group=group.name.clone() kept=kept_results action/> }
    });
    let invited = (may_change_members && !group.invited.is_empty()).then(|| {
        let (invited, kept_link) = (group.invited.clone(), kept.link.clone());
        view! { <GroupInvited org=org.clone() invited kept_link actions=actions.invitations/> }
    });
    let edit = view.may(Action::GroupsWrite).then(|| {
        view! { <EditForm org=org.clone() group=group.clone() action=actions.update/> }
    });
    let delete = view.may(Action::GroupsDelete).then(|| {
        view! { <DeleteForm org=org.clone() group=group.clone() action=actions.delete/> }
    });
    let access = format!("/organizations/{org}/access");
    view! {
        <section class="panel group" aria-label=format!("Group {}", group.name)>
            <h2>{group.name.clone()} " " <span class="badge principal-kind">"Group"</span></h2>
            <p class="muted">{group.description.clone()}</p>
            <p class="muted small">
                {held_text(group.assignments)}
                "Give it roles on the " <a href=access>"Access control"</a>
                " page of the organization, or of one of its resource groups or workspaces."
            </p>
            <h3>"Members"</h3>
            <FormAlert server_error=remove_error/>
            {members}
            {invited}
            {add}
            {invite}
        </section>
        {edit}
        {delete}
    }
}

/// "Holds 2 role assignments in this organization. "
fn held_text(assignments: i64) -> String {
    match assignments {
        0 => "Holds no role assignment yet. ".to_owned(),
        1 => "Holds 1 role assignment in this organization. ".to_owned(),
        n => format!("Holds {n} role assignments in this organization. "),
    }
}

#[component]
fn MemberLine(m: GroupMemberRow, remove: Option<impl IntoView + 'static>) -> impl IntoView {
    view! {
        <tr>
            <td>
                <strong>{m.display_name.clone()}</strong>
                {m.service_principal.then(|| view! { " " <span class="badge principal-kind">"Service principal"</span> })}
                {m.manager.then(|| view! { " " <span class="badge">"Manager"</span> })}
            </td>
            <td><span class="muted">{m.email.clone()}</span></td>
            <td class="row-actions">{remove}</td>
        </tr>
    }
}

#[component]
fn RemoveMember(
    org: String,
    group: String,
    m: GroupMemberRow,
    action: ServerAction<RemoveGroupMember>,
) -> impl IntoView {
    let label = format!("Remove {} from {group}", m.display_name);
    view! {
        <ActionForm action=action attr:class="inline-form">
            {group_fields(&org, &group)}
            <input type="hidden" name=fields::EMAIL value=m.email/>
            <button type="submit" class="danger" aria-label=label>"Remove"</button>
        </ActionForm>
    }
}

#[component]
fn AddMember(
    view: GroupsView,
    group: String,
    /// Whether the caller may make the new member a manager.
    may_appoint: bool,
    action: ServerAction<AddGroupMember>,
) -> impl IntoView {
    let error = action_error(action.value());
    let candidates = view
        .candidates
        .iter()
        .map(|m| view! { <option value=m.email.clone()>{m.label()}</option> })
        .collect_view();
    let appoint = may_appoint.then(|| {
        view! {
            <CheckboxField
                label="Manager: may add and remove the group's members"
                name=fields::MANAGER
                server_error=error
            />
        }
    });
    view! {
        <h3>"Add a member"</h3>
        <ActionForm action=action attr:class="stacked-form narrow-left" attr:novalidate=true>
            <FormAlert server_error=error/>
            {group_fields(&view.organization_slug, &group)}
            <div>
                <Field
                    label="Email"
                    name=fields::EMAIL
                    id="field-member-email"
                    input_type="email"
                    list="group-candidates"
                    hint="Someone in this organization whose address is confirmed, or a service principal's identity (suggested as you type). Groups cannot contain groups."
                    server_error=error
                    validate=Check::Email
                />
                <datalist id="group-candidates">{candidates}</datalist>
            </div>
            {appoint}
            <SubmitButton label="Add to group" busy_label="Adding…" pending=action.pending()/>
        </ActionForm>
    }
}

#[component]
fn CreateForm(org: String, action: ServerAction<CreateGroup>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Create a group"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <input type="hidden" name=fields::ORGANIZATION value=org/>
                <GroupFields
                    ids=["field-group-name", "field-group-description"]
                    hint="Such as \u{201c}Data scientists\u{201d}; letter case aside, unique in the organization."
                    error
                />
                <SubmitButton label="Create group" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// A group's name and description fields (`ids` theirs, `values` what they hold at first).
#[component]
fn GroupFields(
    ids: [&'static str; 2],
    hint: &'static str,
    #[prop(optional)] values: (String, String),
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Field label="Name" name=fields::NAME id=ids[0] value=values.0 hint server_error=error validate=Check::GroupName/>
        <TextAreaField
            label="Description"
            name=fields::DESCRIPTION
            id=ids[1]
            value=values.1
            rows=2
            server_error=error
            validate=Check::Description
        />
    }
}

#[component]
fn EditForm(org: String, group: GroupRow, action: ServerAction<UpdateGroup>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Rename or describe"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {group_fields(&org, &group.name)}
                <GroupFields
                    ids=["field-group-new-name", "field-group-new-description"]
                    hint="Its role assignments and members stay with it."
                    values=(group.name.clone(), group.description.clone())
                    error
                />
                <SubmitButton label="Save" busy_label="Saving…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
fn DeleteForm(org: String, group: GroupRow, action: ServerAction<DeleteGroup>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left danger-zone">
            <summary><h2>"Delete group"</h2></summary>
            <p>
                "Its members keep their own roles but lose the group's from their next request. "
                "The activity log keeps what was done. This cannot be undone."
            </p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                {group_fields(&org, &group.name)}
                <ConfirmNameField label="Group name" hint="Type the group's name to confirm." name=group.name.clone() server_error=error/>
                <CheckboxField
                    label="Remove its access too (its role assignments, at any scope)"
                    name=fields::REMOVE_ACCESS
                    server_error=error
                />
                <SubmitButton label="Delete group" busy_label="Deleting…" pending=action.pending() class="danger"/>
            </ActionForm>
        </details>
    }
}
