//! On the Groups page, a group's invitations: invite addresses into it (a member of the
//! organization is put in at once; anyone else is invited, and the answer says which), and its
//! pending invitations with their link to copy and a way to revoke them. The invitation form's
//! parts are the Access control page's (`invitations_panel`).

use leptos::prelude::*;

use super::groups::group_fields;
use super::invitations_panel::{
    expiry_text, hidden_fields, AddressesField, CopiedLink, InviteResults,
};
use crate::api::groups::InviteToGroup;
use crate::api::invitations::{InvitationLink, InviteResult, PendingInvitation, RevokeInvitation};
use crate::ui::form::{action_error, FormAlert, SubmitButton};
use crate::ui::table::ChangesTable;

/// The invitation actions of the Groups page.
#[derive(Clone, Copy)]
pub struct GroupInvitationActions {
    pub invite: ServerAction<InviteToGroup>,
    pub revoke: ServerAction<RevokeInvitation>,
    pub link: ServerAction<InvitationLink>,
}

impl GroupInvitationActions {
    pub fn new() -> Self {
        Self { invite: ServerAction::new(), revoke: ServerAction::new(), link: ServerAction::new() }
    }

    /// Changes after which the page's list is read again.
    pub fn versions(self) -> [usize; 2] {
        [self.invite.version().get(), self.revoke.version().get()]
    }
}

/// "Invite to this group": addresses and a note.
#[component]
pub fn GroupInviteForm(
    org: String,
    group: String,
    /// What became of each address, when the form was posted without JavaScript.
    kept: Option<Vec<InviteResult>>,
    action: ServerAction<InviteToGroup>,
) -> impl IntoView {
    let error = action_error(action.value());
    let results =
        Signal::derive(move || action.value().get().and_then(Result::ok).or_else(|| kept.clone()));
    view! {
        <h3>"Invite to this group"</h3>
        <p class="muted small">
            "People in this organization are added at once; anyone else is emailed an invitation "
            "and joins the group (and the organization) on accepting it."
        </p>
        <ActionForm action=action attr:class="stacked-form narrow-left" attr:novalidate=true>
            <FormAlert server_error=error/>
            <InviteResults results/>
            {group_fields(&org, &group)}
            <AddressesField ids=["field-group-invite-emails", "field-group-invite-note"] error/>
            <SubmitButton label="Invite to group" busy_label="Inviting…" pending=action.pending()/>
        </ActionForm>
    }
}

/// The group's pending invitations: who, by whom, until when, and their link and revoking.
#[component]
pub fn GroupInvited(
    org: String,
    invited: Vec<PendingInvitation>,
    /// A copied link (with its invitation's id), when asked for without JavaScript.
    kept_link: Option<(String, String)>,
    actions: GroupInvitationActions,
) -> impl IntoView {
    let kept_link = kept_link
        .filter(|(id, _)| invited.iter().any(|i| i.id.to_string() == *id))
        .map(|(_, link)| link);
    let link = Signal::derive(move || {
        actions.link.value().get().and_then(Result::ok).or_else(|| kept_link.clone())
    });
    let errors = Signal::derive(move || {
        action_error(actions.revoke.value()).get().or(action_error(actions.link.value()).get())
    });
    let scope = format!("/organizations/{org}");
    let rows = invited
        .into_iter()
        .map(|i| {
            let (copy_label, revoke_label) = (
                format!("Copy invitation link for {}", i.email),
                format!("Revoke invitation to {}", i.email),
            );
            let (copy_fields, revoke_fields) = (hidden_fields(&scope, i.id), hidden_fields(&scope, i.id));
            let expiry = expiry_text(&i);
            view! {
                <tr class:expired=i.expired>
                    <td><strong>{i.email.clone()}</strong><br/><span class="muted small">{format!("by {}", i.inviter)}</span></td>
                    <td class="small">{expiry}<br/><span class="muted">{i.delivery.describe()}</span></td>
                    <td class="row-actions">
                        <ActionForm action=actions.link attr:class="inline-form">
                            {copy_fields}
                            <button type="submit" aria-label=copy_label>"Copy link"</button>
                        </ActionForm>
                        <ActionForm action=actions.revoke attr:class="inline-form">
                            {revoke_fields}
                            <button type="submit" class="danger" aria-label=revoke_label>"Revoke"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Invited"</h3>
        <FormAlert server_error=errors/>
        <CopiedLink link/>
        <ChangesTable class="invitations" headings=&["Invited", "Expires · delivery"]>{rows}</ChangesTable>
    }
}
