use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::instance::{instance_settings, SaveInstanceSettings};
use crate::ui::form::{action_error, FormAlert, SubmitButton};

/// Instance settings, for the instance admin (anyone else gets "not found").
#[component]
pub fn AdminPage() -> impl IntoView {
    let save = ServerAction::<SaveInstanceSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| instance_settings());
    let error = action_error(save.value());
    view! {
        <div class="page">
            <Title text="Instance settings"/>
            <h1>"Instance settings"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(settings.await, |settings| {
                        view! {
                            <section class="panel narrow-left">
                                <ActionForm action=save attr:class="stacked-form">
                                    <FormAlert server_error=error/>
                                    <label class="checkbox">
                                        <input
                                            type="checkbox"
                                            name="anyone_may_create_organizations"
                                            checked=settings.anyone_may_create_organizations
                                        />
                                        "Anyone with an account may create organizations"
                                    </label>
                                    <p class="hint">"When off, only you (the instance admin) create them."</p>
                                    <label class="checkbox">
                                        <input type="checkbox" name="open_sign_up" checked=settings.open_sign_up/>
                                        "Anyone may create an account"
                                    </label>
                                    <p class="hint">"When off, only people holding an invitation can sign up (with the invited address)."</p>
                                    <SubmitButton label="Save settings" busy_label="Saving…" pending=save.pending()/>
                                </ActionForm>
                            </section>
                        }
                    })
                })}
            </Suspense>
            <super::admin_accounts::AccountsPanel/>
            <super::admin_unconfirmed::UnconfirmedAccounts/>
        </div>
    }
}
