//! The banner an unconfirmed account sees: its address is only claimed until the link mailed
//! there is used, so nothing is shared with it by email yet. It can ask for the link again.

use leptos::prelude::*;

use crate::api::auth::{CurrentUser, ResendConfirmation};
use crate::ui::form::{action_done, action_error, FormAlert, FormDone, SubmitButton};

#[component]
pub fn ConfirmBanner(user: CurrentUser) -> impl IntoView {
    if user.email_confirmed {
        return ().into_any();
    }
    let resend = ServerAction::<ResendConfirmation>::new();
    let error = action_error(resend.value());
    let sent = action_done(resend);
    view! {
        <section class="banner confirm-banner" aria-label="Confirm your address">
            <p>
                "Check your inbox for a confirmation link sent to " <strong>{user.email}</strong> ". "
                "Until you confirm your address, you can use your own organizations, but no one can "
                "share anything with you by email and your invitations wait."
            </p>
            <ActionForm action=resend attr:class="inline-form">
                <FormAlert server_error=error/>
                <SubmitButton label="Send the link again" busy_label="Sending…" pending=resend.pending() class="secondary"/>
            </ActionForm>
            <FormDone when=sent text="A new link is on its way. Earlier links no longer work."/>
        </section>
    }
    .into_any()
}
