use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::signed_in_notice::SignedInGate;
use crate::api::auth::{fields, SignIn};
use crate::ui::auth_state::AuthState;
use crate::ui::form::{action_error, Check, Field, FormAlert, SubmitButton};

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = AuthState::get();
    let action = ServerAction::<SignIn>::new();
    auth.refresh_after(action.version());
    let error = action_error(action.value());
    let pending = action.pending();
    // Where to go after signing in (an invitation link sends people back to it).
    let next = StoredValue::new(
        use_query_map().read_untracked().get("next").filter(|n| n.starts_with('/')),
    );
    view! {
        <Title text="Sign in"/>
        <section class="panel narrow">
            <h1>"Sign in"</h1>
            <SignedInGate>
                <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                    <FormAlert server_error=error/>
                    {next.get_value().map(|next| view! { <input type="hidden" name=fields::NEXT value=next/> })}
                    <Field
                        label="Email"
                        name=fields::EMAIL
                        input_type="email"
                        autocomplete="email"
                        server_error=error
                        validate=Check::Email
                    />
                    <Field
                        label="Password"
                        name=fields::PASSWORD
                        input_type="password"
                        autocomplete="current-password"
                        server_error=error
                    />
                    <SubmitButton label="Sign in" busy_label="Signing in…" pending/>
                </ActionForm>
                <p class="muted"><a href="/forgot-password">"Forgot your password?"</a></p>
                <p class="muted">"New to Atelier? " <a href="/sign-up">"Create an account"</a></p>
            </SignedInGate>
        </section>
    }
}
