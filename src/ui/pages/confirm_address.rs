//! `/confirm/{token}`: the page a confirmation link opens. Opening it changes nothing (mail
//! scanners open links); the button (a POST) uses the token.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{fields, ConfirmAddress};
use crate::ui::auth_state::AuthState;
use crate::ui::form::{action_done, action_error, FormAlert, SubmitButton};

#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmAddress>::new();
    AuthState::get().refresh_after(confirm.version());
    let error = action_error(confirm.value());
    let done = action_done(confirm);
    view! {
        <Title text="Confirm your address"/>
        <section class="panel narrow">
            <h1>"Confirm your address"</h1>
            <Show
                when=move || done.get()
                fallback=move || view! {
                    <p>"Confirming shows this address is yours: invitations sent to it can then be accepted from Atelier, and people can share with you by email."</p>
                    <ActionForm action=confirm attr:class="stacked-form">
                        <FormAlert server_error=error/>
                        <input type="hidden" name=fields::TOKEN value=token/>
                        <SubmitButton label="Confirm my address" busy_label="Confirming…" pending=confirm.pending()/>
                    </ActionForm>
                }
            >
                <p role="status">"Your address is confirmed."</p>
                <p><a class="button primary" href="/">"Continue to Atelier"</a></p>
            </Show>
        </section>
    }
}
