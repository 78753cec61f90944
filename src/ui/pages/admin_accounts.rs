//! The admin page's *Accounts* panel: find a person and disable (or enable again) their
//! account. Disabling ends their sessions and tokens at once.

use leptos::prelude::*;

use crate::api::instance::{instance_accounts, AccountListing, SetAccountDisabled};
use crate::domain::format::date;
use crate::error::AppError;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert};
use crate::ui::island_data::{island_with, reloaded};

/// The list follows the search box as the admin types: an island on an islands page, given
/// the whole list to start with (see `ui::island_data`).
#[component]
pub fn AccountsPanel() -> impl IntoView {
    island_with(
        || instance_accounts(Some(String::new())),
        |first| view! { <AccountsIsland first/> },
    )
}

#[island]
fn AccountsIsland(first: Result<Vec<AccountListing>, AppError>) -> impl IntoView {
    let change = ServerAction::<SetAccountDisabled>::new();
    let (search, set_search) = signal(String::new());
    let accounts = reloaded(
        first,
        move || (change.version().get(), search.get()),
        |(_, search)| instance_accounts(Some(search)),
    );
    let error = action_error(change.value());
    view! {
        <section class="panel">
            <h2>"Accounts"</h2>
            <p class="hint">
                "A disabled account keeps its data and roles but cannot sign in or use its tokens; "
                "its sessions end and its tokens are revoked at once."
            </p>
            <label class="field">
                "Find a person"
                <input
                    type="search"
                    name="search"
                    placeholder="Name or address"
                    on:input=move |ev| set_search.set(event_target_value(&ev))
                />
            </label>
            <FormAlert server_error=error/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(accounts.await, |rows| view! { <AccountTable rows change/> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountTable(
    rows: Vec<AccountListing>,
    change: ServerAction<SetAccountDisabled>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No account matches."</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|account| {
            let (verb, value, class) = if account.disabled {
                ("Enable", "false", "")
            } else {
                ("Disable", "true", "danger")
            };
            let label = format!("{verb} {}", account.email);
            let button = (!account.is_me).then(|| {
                view! {
                    <ActionForm action=change attr:class="inline-form">
                        <input type="hidden" name="account" value=account.id/>
                        <input type="hidden" name="disabled" value=value/>
                        <button type="submit" class=class aria-label=label>{verb}</button>
                    </ActionForm>
                }
            });
            let status = match (account.disabled, account.is_instance_admin) {
                (true, _) => view! { <span class="badge danger">"Disabled"</span> }.into_any(),
                (false, true) => view! { <span class="badge">"Instance admin"</span> }.into_any(),
                (false, false) => ().into_any(),
            };
            view! {
                <tr>
                    <td>{account.display_name}</td>
                    <td>{account.email}</td>
                    <td>{date(account.created_at)}</td>
                    <td>{status}</td>
                    <td>{button}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
