//! The admin's list of accounts whose address is not confirmed: on an instance without a mail
//! server, the admin confirms them (the outbox shows each confirmation link).

use leptos::prelude::*;

use crate::api::instance::{unconfirmed_accounts, ConfirmAccount, UnconfirmedAccount};
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert};
use crate::ui::format::date_time;

#[component]
pub fn UnconfirmedAccounts() -> impl IntoView {
    let confirm = ServerAction::<ConfirmAccount>::new();
    let accounts = Resource::new(move || confirm.version().get(), |_| unconfirmed_accounts());
    let error = action_error(confirm.value());
    view! {
        <section class="panel unconfirmed-accounts" aria-labelledby="unconfirmed-heading">
            <h2 id="unconfirmed-heading">"Unconfirmed addresses"</h2>
            <p class="hint">
                "These accounts have not confirmed their address. Confirm one only when you know the "
                "address is theirs: confirming lets invitations and roles reach them by email."
            </p>
            <FormAlert server_error=error/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(accounts.await, |accounts| view! { <AccountList accounts confirm/> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountList(
    accounts: Vec<UnconfirmedAccount>,
    confirm: ServerAction<ConfirmAccount>,
) -> impl IntoView {
    if accounts.is_empty() {
        return view! { <p class="empty-state">"Every account has confirmed its address."</p> }
            .into_any();
    }
    let rows = accounts
        .into_iter()
        .map(|a| {
            let label = format!("Confirm {}", a.email);
            view! {
                <tr>
                    <td>{a.display_name}</td>
                    <td>{a.email}</td>
                    <td>{date_time(a.created_at)}</td>
                    <td>
                        <ActionForm action=confirm attr:class="inline-form">
                            <input type="hidden" name="user" value=a.id/>
                            <button type="submit" class="secondary" aria-label=label>"Confirm"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Signed up"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
