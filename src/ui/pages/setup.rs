//! `/setup/{token}`: the one-time link (printed in the log of an instance listening beyond
//! loopback) that makes the signed-in person the instance's administrator. Opening it changes
//! nothing; the button does.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::instance::ClaimAdmin;
use crate::ui::auth_state::AuthState;
use crate::ui::form::{action_error, FormAlert, SubmitButton};

#[component]
pub fn SetupPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let claim = ServerAction::<ClaimAdmin>::new();
    let auth = AuthState::get();
    auth.refresh_after(claim.version());
    let error = action_error(claim.value());
    view! {
        <Title text="Set up Atelier"/>
        <section class="panel narrow">
            <h1>"Become this instance's administrator"</h1>
            <p>
                "The administrator sets who may sign up and create organizations, sees the outbox "
                "and can disable accounts. This link works once, while no one holds the role."
            </p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let signed_in = matches!(auth.user.await, Ok(Some(_)));
                    let token = token();
                    if signed_in {
                        view! {
                            <ActionForm action=claim attr:class="stacked-form">
                                <FormAlert server_error=error/>
                                <input type="hidden" name="token" value=token/>
                                <SubmitButton
                                    label="Become the administrator"
                                    busy_label="Setting up…"
                                    pending=claim.pending()
                                />
                            </ActionForm>
                        }
                        .into_any()
                    } else {
                        let next = format!("/setup/{token}");
                        view! {
                            <p>"Sign up (or sign in), then open this link again."</p>
                            <p>
                                <a class="button" href=format!("/sign-up?next={next}")>"Sign up"</a>
                                " "
                                <a href=format!("/sign-in?next={next}")>"Sign in"</a>
                            </p>
                        }
                        .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
