//! `/invitations`: invitations addressed to the signed-in person, to accept or decline here.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::invitations::{fields, my_invitations, AnswerInvitation, Inbox};
use crate::ui::auth_state::AuthState;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert};
use crate::ui::format::date_time;
use crate::ui::invited_to::InvitedTo;

#[component]
pub fn InboxPage() -> impl IntoView {
    let answer = ServerAction::<AnswerInvitation>::new();
    AuthState::get().refresh_after(answer.version());
    let items = Resource::new(move || answer.version().get(), |_| my_invitations());
    let error = action_error(answer.value());
    view! {
        <Title text="Invitations"/>
        <div class="page">
            <h1>"Invitations"</h1>
            <FormAlert server_error=error/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(items.await, |inbox| view! { <InboxList inbox answer/> })
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn InboxList(inbox: Inbox, answer: ServerAction<AnswerInvitation>) -> impl IntoView {
    if !inbox.address_verified {
        return view! {
            <p class="empty-state">{crate::api::invitations::UNCONFIRMED_INBOX}</p>
        }
        .into_any();
    }
    if inbox.items.is_empty() {
        return view! { <p class="empty-state">"No invitations waiting for you."</p> }.into_any();
    }
    let cards = inbox
        .items
        .into_iter()
        .map(|item| {
            let id = item.id;
            let button = move |value: &'static str, label: &'static str, class: &'static str| {
                view! {
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name=fields::INVITATION value=id/>
                        <input type="hidden" name="answer" value=value/>
                        <button type="submit" class=class>{label}</button>
                    </ActionForm>
                }
            };
            view! {
                <li class="panel invitation-card">
                    <InvitedTo inviter=item.inviter.clone() place=item.place.clone() role=item.role.clone() group=item.group.clone()/>
                    {(!item.note.is_empty()).then(|| view! { <blockquote class="note">{item.note.clone()}</blockquote> })}
                    <p class="muted small">{format!("Expires {}", date_time(item.expires_at))}</p>
                    <div class="actions">
                        {button("accept", "Accept", "primary")}
                        {button("decline", "Decline", "")}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="card-list">{cards}</ul> }.into_any()
}
