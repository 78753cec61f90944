//! The invitation part of a scope's Access control page: invite addresses as a role, see what
//! became of each, and manage pending invitations (role, resend, revoke, copy the link).

use leptos::prelude::*;

use crate::api::access::AccessView;
use crate::api::invitations::{
    fields, ChangeInvitationRole, InvitationLink, Invite, InviteResult, PendingInvitation,
    ResendInvitation, RevokeInvitation,
};
use crate::authz::Action;
use crate::ui::form::{
    action_error, Check, Field, FormAlert, SelectField, SubmitButton, TextAreaField,
};
use crate::ui::format::date_time;

#[derive(Clone, Copy)]
pub struct InvitationActions {
    pub invite: ServerAction<Invite>,
    pub revoke: ServerAction<RevokeInvitation>,
    pub resend: ServerAction<ResendInvitation>,
    pub change: ServerAction<ChangeInvitationRole>,
    pub link: ServerAction<InvitationLink>,
}

impl InvitationActions {
    pub fn new() -> Self {
        Self {
            invite: ServerAction::new(),
            revoke: ServerAction::new(),
            resend: ServerAction::new(),
            change: ServerAction::new(),
            link: ServerAction::new(),
        }
    }

    /// Changes after which the page reloads its data.
    pub fn versions(&self) -> (usize, usize, usize, usize) {
        (
            self.invite.version().get(),
            self.revoke.version().get(),
            self.resend.version().get(),
            self.change.version().get(),
        )
    }
}

#[component]
pub fn InvitationsPanel(
    access: AccessView,
    /// What became of each address, when the form was posted without JavaScript.
    kept_invited: Option<Vec<InviteResult>>,
    /// A copied link (with its invitation's id), when asked for without JavaScript.
    kept_link: Option<(String, String)>,
    actions: InvitationActions,
) -> impl IntoView {
    let may_invite =
        access.may(Action::InvitationsWrite) && access.may(Action::RoleAssignmentsWrite);
    let form = may_invite.then(|| {
        view! { <InviteForm access=access.clone() kept=kept_invited action=actions.invite/> }
    });
    let pending = (!access.invitations.is_empty())
        .then(|| view! { <PendingTable access=access.clone() kept_link actions/> });
    view! { {form} {pending} }
}

#[component]
fn InviteForm(
    access: AccessView,
    kept: Option<Vec<InviteResult>>,
    action: ServerAction<Invite>,
) -> impl IntoView {
    let error = action_error(action.value());
    let roles = access
        .roles
        .iter()
        .filter(|r| r.grantable)
        .map(|r| view! { <option value=r.name.clone() selected=r.name == "Reader">{format!("{} — {}", r.name, r.description)}</option> })
        .collect_view();
    let results =
        Signal::derive(move || action.value().get().and_then(Result::ok).or_else(|| kept.clone()));
    let delivery_hint = if access.mail_configured {
        "Each address gets an email with a link that works once and expires."
    } else {
        "No mail server is configured: after inviting, copy each link from Pending invitations and pass it on."
    };
    view! {
        <section class="panel narrow-left">
            <h2>"Invite people"</h2>
            <p class="muted">{delivery_hint}</p>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <InviteResults results/>
                <input type="hidden" name=fields::SCOPE value=access.scope.to_string()/>
                <AddressesField ids=["field-invite-emails", "field-invite-note"] error>
                    <SelectField label="Invite as" name=fields::ROLE id="invite-role" server_error=error>{roles}</SelectField>
                </AddressesField>
                <Field
                    label="Access ends (optional)"
                    name=fields::ACCESS_ENDS
                    input_type="date"
                    required=false
                    hint="The role they get ends on this date; leave empty for no end."
                    server_error=error
                />
                <SubmitButton label="Send invitations" busy_label="Inviting…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// What became of each address of an invitation form's batch (`results` once it answered).
#[component]
pub fn InviteResults(results: Signal<Option<Vec<InviteResult>>>) -> impl IntoView {
    move || {
        results.get().map(|results| {
            let items = results
                .into_iter()
                .map(|r| {
                    let ok = r.outcome.succeeded();
                    view! { <li class:ok=ok class:refused=!ok><strong>{r.email}</strong> ": " {r.outcome.describe()}</li> }
                })
                .collect_view();
            view! { <ul class="invite-results" role="status">{items}</ul> }
        })
    }
}

/// An invitation form's addresses and note (`ids` theirs), with what the form offers between
/// them (`children`: a role to choose, or nothing when the form's place says it).
#[component]
pub fn AddressesField(
    ids: [&'static str; 2],
    error: Signal<Option<crate::error::AppError>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <TextAreaField
            label="Email addresses"
            name=fields::EMAILS
            id=ids[0]
            hint="Separate addresses with commas, spaces or new lines."
            rows=3
            server_error=error
            validate=Check::AddressList
        />
        {children.map(|c| c())}
        <TextAreaField
            label="Note (optional)"
            name=fields::NOTE
            id=ids[1]
            hint="Shown in the email; no links."
            rows=2
            server_error=error
            validate=Check::InvitationNote
        />
    }
}

/// An invitation's link once asked for (`link`), to copy and pass on.
#[component]
pub fn CopiedLink(link: Signal<Option<String>>) -> impl IntoView {
    move || {
        link.get().map(|link| {
            view! {
                <div class="field copied-link">
                    <label for="invitation-link">"Invitation link (pass it on to the invited person only)"</label>
                    <input id="invitation-link" type="text" readonly value=link on:focus=|ev| {
                        #[cfg(feature = "hydrate")]
                        {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = ev;
                    }/>
                </div>
            }
        })
    }
}

#[component]
fn PendingTable(
    access: AccessView,
    kept_link: Option<(String, String)>,
    actions: InvitationActions,
) -> impl IntoView {
    let kept_link = kept_link
        .filter(|(id, _)| access.invitations.iter().any(|i| i.id.to_string() == *id))
        .map(|(_, link)| link);
    let errors = Signal::derive(move || {
        action_error(actions.revoke.value())
            .get()
            .or(action_error(actions.resend.value()).get())
            .or(action_error(actions.change.value()).get())
            .or(action_error(actions.link.value()).get())
    });
    let link = Signal::derive(move || {
        actions.link.value().get().and_then(Result::ok).or_else(|| kept_link.clone())
    });
    let rows = access
        .invitations
        .iter()
        .map(|i| view! { <PendingRow i=i.clone() access=access.clone() actions/> }.into_any())
        .collect_view();
    view! {
        <section class="panel">
            <h2>"Pending invitations"</h2>
            <FormAlert server_error=errors/>
            <CopiedLink link/>
            <table class="table invitations">
                <thead>
                    <tr>
                        <th scope="col">"Invited"</th>
                        <th scope="col">"Role or group"</th>
                        <th scope="col">"Sent · expires"</th>
                        <th scope="col">"Delivery"</th>
                        <th scope="col"><span class="visually-hidden">"Changes"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// "expires Mon, 30 Nov 2026 10:00 UTC", or "expired".
pub(super) fn expiry_text(i: &PendingInvitation) -> String {
    if i.expired {
        "expired".to_owned()
    } else {
        format!("expires {}", date_time(i.expires_at))
    }
}

/// "Reader", or "Group Data scientists" for an invitation into a group.
fn offered(i: &PendingInvitation) -> impl IntoView {
    match (&i.role, &i.group) {
        (_, Some(group)) => {
            view! { <span class="badge principal-kind">"Group"</span> " " {group.clone()} }
                .into_any()
        }
        (role, None) => role.clone().unwrap_or_default().into_any(),
    }
}

/// Which invitation a row's buttons act on.
pub(super) fn hidden_fields(scope: &str, id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name=fields::SCOPE value=scope.to_owned()/>
        <input type="hidden" name=fields::INVITATION value=id/>
    }
}

#[component]
fn PendingRow(
    i: PendingInvitation,
    access: AccessView,
    actions: InvitationActions,
) -> impl IntoView {
    let scope = access.scope.to_string();
    // Changing, copying or resending hands out the invitation's role: only for those who could
    // give it themselves (the server's rule too). One into a group, for those who may put
    // people in groups; its group is not changed here.
    let may_write = match &i.role {
        Some(role) => {
            access.may(Action::InvitationsWrite)
                && access.may(Action::RoleAssignmentsWrite)
                && access.roles.iter().any(|r| r.grantable && r.name == *role)
        }
        None => access.may(Action::GroupsWrite),
    };
    let may_revoke = access.may(Action::InvitationsDelete);
    let id = i.id;
    let email = &i.email;
    let (change_label, copy_label, resend_label, revoke_label) = (
        format!("New role for the invitation to {email}"),
        format!("Copy invitation link for {email}"),
        format!("Resend invitation to {email}"),
        format!("Revoke invitation to {email}"),
    );
    let (scope2, scope3, scope4) = (scope.clone(), scope.clone(), scope.clone());
    let change = (may_write && i.role.is_some()).then(|| {
        let options = access
            .roles
            .iter()
            .filter(|r| r.grantable)
            .map(|r| view! { <option value=r.name.clone() selected=Some(&r.name) == i.role.as_ref()>{r.name.clone()}</option> })
            .collect_view();
        let select_id = format!("invitation-role-{id}");
        view! {
            <ActionForm action=actions.change attr:class="inline-form">
                {hidden_fields(&scope, id)}
                <label class="visually-hidden" for=select_id.clone()>{change_label}</label>
                <select id=select_id name=fields::ROLE>{options}</select>
                <button type="submit">"Change"</button>
            </ActionForm>
        }
    });
    let copy = may_write.then(|| {
        view! {
            <ActionForm action=actions.link attr:class="inline-form">
                {hidden_fields(&scope2, id)}
                <button type="submit" aria-label=copy_label>"Copy link"</button>
            </ActionForm>
        }
    });
    let resend = may_write.then(|| {
        view! {
            <ActionForm action=actions.resend attr:class="inline-form">
                {hidden_fields(&scope3, id)}
                <button type="submit" aria-label=resend_label>"Resend"</button>
            </ActionForm>
        }
    });
    let revoke = may_revoke.then(|| {
        view! {
            <ActionForm action=actions.revoke attr:class="inline-form">
                {hidden_fields(&scope4, id)}
                <button type="submit" class="danger" aria-label=revoke_label>"Revoke"</button>
            </ActionForm>
        }
    });
    let access_end = i.access_expires_at.map(|at| view! { <br/><span class="muted small">{format!("Access until {}", crate::ui::format::date(at))}</span> });
    let expiry = expiry_text(&i);
    view! {
        <tr class:expired=i.expired>
            <td><strong>{i.email.clone()}</strong><br/><span class="muted small">{format!("by {}", i.inviter)}</span></td>
            <td>{offered(&i)} {access_end}</td>
            <td class="small">{date_time(i.sent_at)}<br/><span class="muted">{expiry}</span></td>
            <td class="small">{i.delivery.describe()}</td>
            <td class="row-actions">{change} {copy} {resend} {revoke}</td>
        </tr>
    }
}
