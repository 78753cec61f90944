//! `/tokens`: my personal access tokens, for scripts, pipelines and the MLflow client. Create
//! one (name, reach, end date, read only), see its secret once, and revoke it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::tokens::{fields, list_tokens, CreateToken, RevokeToken, TokenRow, TokensView};
use crate::domain::access_token::TokenName;
use crate::ui::copy_field::CopyField;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, valid, Field, FormAlert, SelectField, SubmitButton};
use crate::ui::format::{date, date_time};

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens =
        Resource::new(move || (create.version().get(), revoke.version().get()), |_| list_tokens());
    view! {
        <Title text="Access tokens"/>
        <div class="page">
            <h1>"Access tokens"</h1>
            <p class="muted">
                "A token lets a script, a pipeline or the MLflow client act as you, with your roles, "
                "limited to where you choose and, if you like, to reading. Keep it secret like a password."
            </p>
            <NewSecret create/>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    loaded(tokens.await, |view| view! { <Tokens view create revoke/> })
                })}
            </Suspense>
        </div>
    }
}

/// The secret of the token just created, shown this once.
#[component]
fn NewSecret(create: ServerAction<CreateToken>) -> impl IntoView {
    move || {
        create.value().get().and_then(Result::ok).map(|created| {
            view! {
                <section class="panel new-secret" role="status">
                    <h2>{format!("Token \u{201c}{}\u{201d} created", created.name)}</h2>
                    <p>"Copy it now: it is not shown again, and Atelier keeps only a hash of it."</p>
                    <CopyField label="Token" id="new-token" value=created.secret/>
                </section>
            }
        })
    }
}

#[component]
fn Tokens(
    view: TokensView,
    create: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let TokensView { tokens, reaches, today, latest_end } = view;
    let revoke_error = action_error(revoke.value());
    let table = if tokens.is_empty() {
        view! { <p class="empty-state">"No tokens yet."</p> }.into_any()
    } else {
        let rows = tokens.into_iter().map(|t| view! { <TokenLine t revoke/> }).collect_view();
        view! {
            <table class="table tokens">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Reach"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Ends"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Your tokens"</h2>
            <FormAlert server_error=revoke_error/>
            {table}
        </section>
        <CreateTokenForm create reaches today latest_end/>
    }
}

#[component]
fn TokenLine(t: TokenRow, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let state = match (t.active, t.revoked_at) {
        (true, _) => None,
        (false, Some(at)) => Some(format!("Revoked {}", date(at))),
        (false, None) => Some("Expired".to_owned()),
    };
    let last_used = match t.last_used_at {
        Some(at) => format!("{} from {}", date_time(at), t.last_used_from),
        None => "Never".to_owned(),
    };
    let label = format!("Revoke token {}", t.name);
    let limits = if t.read_only { format!("{} · read only", t.reach) } else { t.reach.clone() };
    view! {
        <tr class:inactive=!t.active>
            <th scope="row">
                {t.name.clone()}
                <span class="muted small mono">" " {t.hint.clone()}</span>
                {state.map(|s| view! { <span class="badge">{s}</span> })}
            </th>
            <td>{limits}</td>
            <td>{date(t.created_at)}</td>
            <td>{t.expires_at.map(date).unwrap_or_else(|| "Never".to_owned())}</td>
            <td>{last_used}</td>
            <td class="row-actions">
                {t.active.then(|| view! {
                    <ActionForm action=revoke attr:class="inline-form">
                        <input type="hidden" name="id" value=t.id/>
                        <button type="submit" class="danger" aria-label=label.clone()>"Revoke"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn CreateTokenForm(
    create: ServerAction<CreateToken>,
    reaches: Vec<crate::api::tokens::ReachChoice>,
    today: String,
    latest_end: String,
) -> impl IntoView {
    let error = action_error(create.value());
    let options = reaches
        .into_iter()
        .map(|r| view! { <option value=r.value>{r.label}</option> })
        .collect_view();
    view! {
        <section class="panel narrow-left">
            <h2>"Create a token"</h2>
            <ActionForm action=create attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="What it is for, such as \u{201c}training on my laptop\u{201d} or \u{201c}CI\u{201d}."
                    server_error=error
                    validate={valid::<TokenName>}
                />
                <SelectField
                    label="Reach"
                    name=fields::REACH
                    hint="Where it may act. Elsewhere it finds nothing, whatever your roles there."
                    server_error=error
                >
                    {options}
                </SelectField>
                <div class="field">
                    <label for="field-ends_on">"Ends on (optional)"</label>
                    <input id="field-ends_on" name=fields::ENDS_ON type="date" min=today max=latest_end
                        aria-describedby="field-ends_on-hint"/>
                    <p class="hint" id="field-ends_on-hint">"At the end of that day (UTC), at most a year from now. Empty: until you revoke it."</p>
                    {move || error.get().and_then(|e| e.for_field(fields::ENDS_ON).map(str::to_owned)).map(|m| view! {
                        <p class="field-error" role="alert">{m}</p>
                    })}
                </div>
                <label class="checkbox">
                    <input type="checkbox" name=fields::READ_ONLY/>
                    "Read only: it can look, never change anything"
                </label>
                <SubmitButton label="Create token" busy_label="Creating…" pending=create.pending()/>
            </ActionForm>
        </section>
    }
}
