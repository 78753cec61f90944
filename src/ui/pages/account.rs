//! `/account`: one's name, address and password. A new address takes effect once confirmed
//! from the mail sent to it; changing it or the password asks for the current password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::{
    account, fields, AccountView, ChangeEmail, ChangePassword, RenameAccount,
};
use crate::ui::auth_state::AuthState;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_done, action_error, Check, Field, FormAlert, FormDone, SubmitButton};

#[component]
pub fn AccountPage() -> impl IntoView {
    let rename = ServerAction::<RenameAccount>::new();
    let change_email = ServerAction::<ChangeEmail>::new();
    AuthState::get().refresh_after(rename.version());
    let view_data = Resource::new(
        move || (rename.version().get(), change_email.version().get()),
        |_| account(),
    );
    view! {
        <Title text="Account"/>
        <div class="page">
            <h1>"Account"</h1>
            <p class="muted">
                "Where you are signed in: " <a href="/account/sessions">"Sessions"</a> ". "
                "Keys for scripts: " <a href="/tokens">"Access tokens"</a> "."
            </p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(view_data.await, |data| view! {
                        <NameForm data=data.clone() rename/>
                        <EmailForm data change_email/>
                    })
                })}
            </Suspense>
            <PasswordForm/>
        </div>
    }
}

#[component]
fn NameForm(data: AccountView, rename: ServerAction<RenameAccount>) -> impl IntoView {
    let error = action_error(rename.value());
    let saved = action_done(rename);
    view! {
        <section class="panel narrow-left">
            <h2>"Name"</h2>
            <ActionForm action=rename attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <FormDone when=saved text="Your name is saved."/>
                <Field label="Your name" name=fields::DISPLAY_NAME value=data.display_name autocomplete="name" server_error=error validate=Check::PersonName/>
                <SubmitButton label="Save name" busy_label="Saving…" pending=rename.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn EmailForm(data: AccountView, change_email: ServerAction<ChangeEmail>) -> impl IntoView {
    let error = action_error(change_email.value());
    let sent = action_done(change_email);
    let status = if data.email_confirmed { "confirmed" } else { "not confirmed yet" };
    view! {
        <section class="panel narrow-left">
            <h2>"Email address"</h2>
            <p>{data.email} " (" {status} ")"</p>
            {data.pending_email.map(|pending| view! {
                <p class="muted" role="status">
                    "Waiting for you to confirm " <strong>{pending}</strong>
                    " with the link mailed there. Until then, your address stays as it is."
                </p>
            })}
            <ActionForm action=change_email attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <FormDone when=sent text="A confirmation link is on its way to the new address."/>
                <Field label="New email address" name=fields::EMAIL input_type="email" autocomplete="email" server_error=error validate=Check::Email/>
                <Field label="Current password" id="email-current-password" name=fields::CURRENT_PASSWORD input_type="password" autocomplete="current-password" server_error=error/>
                <SubmitButton label="Change address" busy_label="Sending…" pending=change_email.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change.value());
    let changed = action_done(change);
    view! {
        <section class="panel narrow-left">
            <h2>"Password"</h2>
            <ActionForm action=change attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <FormDone when=changed text="Your password is changed. Your other sessions are signed out."/>
                <Field label="Current password" name=fields::CURRENT_PASSWORD input_type="password" autocomplete="current-password" server_error=error/>
                <Field label="New password" name=fields::NEW_PASSWORD input_type="password" autocomplete="new-password" server_error=error validate=Check::Password/>
                <SubmitButton label="Change password" busy_label="Saving…" pending=change.pending()/>
            </ActionForm>
        </section>
    }
}
