//! `/account/sessions`: where I am signed in, so a session I do not recognise (a shared
//! computer, a lost laptop) can be ended, or all but this one.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::sessions::{list_sessions, EndOneSession, EndOtherSessions, SessionRow};
use crate::domain::format::date_time;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_done, action_error, FormAlert, FormDone, SubmitButton};

#[component]
pub fn SessionsPage() -> impl IntoView {
    let end_one = ServerAction::<EndOneSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let sessions = Resource::new(
        move || (end_one.version().get(), end_others.version().get()),
        |_| list_sessions(),
    );
    let one_error = action_error(end_one.value());
    let others_error = action_error(end_others.value());
    let (one_ended, others_ended) = (action_done(end_one), action_done(end_others));
    view! {
        <Title text="Sessions"/>
        <div class="page">
            <h1>"Sessions"</h1>
            <p class="muted">
                "Where you are signed in. Sign out of any you do not recognise. A session also ends "
                "after a while without use, and some days after signing in, whatever its use."
            </p>
            <section class="panel">
                <FormAlert server_error=one_error/>
                <FormAlert server_error=others_error/>
                <FormDone when=one_ended text="That session is signed out."/>
                <FormDone when=others_ended text="You are signed out everywhere else."/>
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        loaded(sessions.await, |rows| view! { <SessionTable rows end_one/> })
                    })}
                </Suspense>
                <ActionForm action=end_others attr:class="inline-form">
                    <SubmitButton
                        label="Sign out everywhere else"
                        busy_label="Signing out…"
                        pending=end_others.pending()
                    />
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn SessionTable(rows: Vec<SessionRow>, end_one: ServerAction<EndOneSession>) -> impl IntoView {
    let when = |at: Option<i64>| at.map(date_time).unwrap_or_else(|| "—".to_owned());
    let rows = rows
        .into_iter()
        .map(|row| {
            let action = if row.current {
                view! { <span class="badge">"This session"</span> }.into_any()
            } else {
                let label = format!("Sign out {} from {}", row.browser, row.address);
                view! {
                    <ActionForm action=end_one attr:class="inline-form">
                        <input type="hidden" name="key" value=row.key.clone()/>
                        <button type="submit" class="danger" aria-label=label>"Sign out"</button>
                    </ActionForm>
                }
                .into_any()
            };
            view! {
                <tr>
                    <td>{row.browser.clone()}</td>
                    <td>{row.address.clone()}</td>
                    <td>{when(row.signed_in_at)}</td>
                    <td>{when(row.last_seen_at)}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Browser"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
