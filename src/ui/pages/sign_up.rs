use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::signed_in_notice::SignedInGate;
use crate::api::auth::{fields, SignUp};
use crate::ui::auth_state::AuthState;
use crate::ui::form::{action_error, Check, Field, FormAlert, SubmitButton};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let auth = AuthState::get();
    let action = ServerAction::<SignUp>::new();
    auth.refresh_after(action.version());
    let error = action_error(action.value());
    let pending = action.pending();
    // Arriving from an invitation link: the account must use the invited address.
    let query = use_query_map().read_untracked();
    let invitation = query.get("invitation").filter(|t| !t.is_empty());
    let invited_email = invitation.as_ref().and(query.get("email")).unwrap_or_default();
    let fixed = !invited_email.is_empty();
    let invited_email = StoredValue::new(invited_email);
    let sign_in = match &invitation {
        Some(token) => format!("/sign-in?next=/invite/{token}"),
        None => "/sign-in".to_owned(),
    };
    let hidden_token = StoredValue::new(invitation.clone());
    let note = invitation.is_some().then(|| view! {
        <p class="muted">"You were invited: create your account with the invited address, then accept."</p>
    });
    view! {
        <Title text="Create an account"/>
        <section class="panel narrow">
            <h1>"Create your account"</h1>
            {note}
            <SignedInGate>
                <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                    <FormAlert server_error=error/>
                    {hidden_token.get_value().map(|token| view! { <input type="hidden" name=fields::INVITATION value=token/> })}
                    <Field
                        label="Your name"
                        name=fields::DISPLAY_NAME
                        autocomplete="name"
                        hint="Shown to the people you work with."
                        server_error=error
                        validate=Check::PersonName
                    />
                    <Field
                        label="Email"
                        name=fields::EMAIL
                        input_type="email"
                        autocomplete="email"
                        value=invited_email.get_value()
                        readonly=fixed
                        server_error=error
                        validate=Check::Email
                    />
                    <Field
                        label="Password"
                        name=fields::PASSWORD
                        input_type="password"
                        autocomplete="new-password"
                        hint=PASSWORD_HINT
                        server_error=error
                        validate=Check::Password
                    />
                    <SubmitButton label="Create account" busy_label="Creating account…" pending/>
                </ActionForm>
                <p class="muted">"Already have an account? " <a href=sign_in.clone()>"Sign in"</a></p>
            </SignedInGate>
        </section>
    }
}

/// Kept in step with `domain::password` by the test below.
const PASSWORD_HINT: &str =
    "At least 8 characters, up to 128. A passphrase of a few words works well.";

#[cfg(test)]
mod tests {
    use crate::domain::password::{MAX_LEN, MIN_LEN};

    #[test]
    fn the_password_hint_states_the_current_limits() {
        assert!(super::PASSWORD_HINT
            .starts_with(&format!("At least {MIN_LEN} characters, up to {MAX_LEN}.")));
    }
}
