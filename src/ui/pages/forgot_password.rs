//! `/forgot-password` asks for a reset link; `/reset-password/{token}` (what the link opens)
//! sets the new password. The first answers the same for every address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{fields, ForgotPassword, ResetPassword};
use crate::ui::form::{action_done, action_error, Check, Field, FormAlert, SubmitButton};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<ForgotPassword>::new();
    let error = action_error(request.value());
    let sent = action_done(request);
    view! {
        <Title text="Forgot password"/>
        <section class="panel narrow">
            <h1>"Forgot your password?"</h1>
            <Show
                when=move || sent.get()
                fallback=move || view! {
                    <p>"Enter the address you sign in with. We will mail it a link to choose a new password."</p>
                    <ActionForm action=request attr:class="stacked-form" attr:novalidate=true>
                        <FormAlert server_error=error/>
                        <Field label="Email" name=fields::EMAIL input_type="email" autocomplete="email" server_error=error validate=Check::Email/>
                        <SubmitButton label="Send me a link" busy_label="Sending…" pending=request.pending()/>
                    </ActionForm>
                }
            >
                <p role="status">"If an account uses this address, a link to choose a new password is on its way. It works once, for an hour."</p>
            </Show>
            <p class="muted"><a href="/sign-in">"Back to sign in"</a></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let reset = ServerAction::<ResetPassword>::new();
    let error = action_error(reset.value());
    let done = action_done(reset);
    view! {
        <Title text="Choose a new password"/>
        <section class="panel narrow">
            <h1>"Choose a new password"</h1>
            <Show
                when=move || done.get()
                fallback=move || view! {
                    <p>"Choosing a new password signs your account out everywhere and revokes its access tokens."</p>
                    <ActionForm action=reset attr:class="stacked-form" attr:novalidate=true>
                        <FormAlert server_error=error/>
                        <input type="hidden" name=fields::TOKEN value=token/>
                        <Field label="New password" name=fields::PASSWORD input_type="password" autocomplete="new-password" server_error=error validate=Check::Password/>
                        <SubmitButton label="Set new password" busy_label="Saving…" pending=reset.pending()/>
                    </ActionForm>
                }
            >
                <p role="status">"Your password is changed, and you are signed out everywhere."</p>
                <p><a class="button primary" href="/sign-in">"Sign in"</a></p>
            </Show>
        </section>
    }
}
