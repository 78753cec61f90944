//! What every token page shares, whoever the tokens act for (me on the Tokens page, a service
//! principal on its organization's page): the secret shown once, the table of tokens, and the
//! fields of a new one. Each page brings its own actions, since their forms name different
//! server functions.

use leptos::prelude::*;

use crate::api::tokens::{fields, CreatedToken, ReachChoice, TokenRow};
use crate::error::AppError;
use crate::ui::copy_field::CopyField;
use crate::ui::form::{Check, Field, SelectField};
use crate::ui::format::{date, date_time};

/// The secret of the token just created, shown this once.
#[component]
pub fn NewSecret(created: Signal<Option<CreatedToken>>) -> impl IntoView {
    move || {
        created.get().map(|created| {
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

/// The tokens, newest first; `revoke` makes the Revoke form of an active token (nothing when
/// the viewer may not revoke).
#[component]
pub fn TokenTable<R, V>(tokens: Vec<TokenRow>, revoke: R) -> impl IntoView
where
    R: Fn(&TokenRow) -> V + 'static,
    V: IntoView + 'static,
{
    if tokens.is_empty() {
        return view! { <p class="empty-state">"No tokens yet."</p> }.into_any();
    }
    let rows = tokens
        .into_iter()
        .map(|t| {
            let action = t.active.then(|| revoke(&t));
            view! { <TokenLine t action/> }
        })
        .collect_view();
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
}

#[component]
fn TokenLine<V: IntoView + 'static>(t: TokenRow, action: Option<V>) -> impl IntoView {
    let state = match (t.active, t.revoked_at) {
        (true, _) => None,
        (false, Some(at)) => Some(format!("Revoked {}", date(at))),
        (false, None) => Some("Expired".to_owned()),
    };
    let last_used = match t.last_used_at {
        Some(at) => format!("{} from {}", date_time(at), t.last_used_from),
        None => "Never".to_owned(),
    };
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
            <td class="row-actions">{action}</td>
        </tr>
    }
}

/// The Revoke button of token `t`, inside the caller's form.
pub fn revoke_label(t: &TokenRow) -> String {
    format!("Revoke token {}", t.name)
}

/// A new token's name, reach, end date and read-only limit, inside the caller's form.
#[component]
pub fn TokenFields(
    reaches: Vec<ReachChoice>,
    today: String,
    latest_end: String,
    /// What the name is for, as the hint under it says.
    name_hint: &'static str,
    reach_hint: &'static str,
    server_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options = reaches
        .into_iter()
        .map(|r| view! { <option value=r.value>{r.label}</option> })
        .collect_view();
    view! {
        <Field
            label="Name"
            name=fields::NAME
            hint=name_hint
            server_error
            validate=Check::TokenName
        />
        <SelectField label="Reach" name=fields::REACH hint=reach_hint server_error>
            {options}
        </SelectField>
        <div class="field">
            <label for="field-ends_on">"Ends on (optional)"</label>
            <input id="field-ends_on" name=fields::ENDS_ON type="date" min=today max=latest_end
                aria-describedby="field-ends_on-hint"/>
            <p class="hint" id="field-ends_on-hint">"At the end of that day (UTC), at most a year from now. Empty: until it is revoked."</p>
            {move || server_error.get().and_then(|e| e.for_field(fields::ENDS_ON).map(str::to_owned)).map(|m| view! {
                <p class="field-error" role="alert">{m}</p>
            })}
        </div>
        <label class="checkbox">
            <input type="checkbox" name=fields::READ_ONLY/>
            "Read only: it can look, never change anything"
        </label>
    }
}
