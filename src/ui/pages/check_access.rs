//! "Check access" on a scope's Access control page: pick a person (or a service principal), see
//! every action they may and may not perform here, with the role and pattern that decides it.
//! A GET form, so the result is a link.

use leptos::prelude::*;

use crate::api::access::{check_access, CheckView, MemberView};
use crate::domain::ScopePath;
use crate::error::AppError;

/// What "Check access" says about `person` at `scope`, when someone was asked about.
pub async fn check_result(
    scope: &ScopePath,
    person: Option<String>,
) -> Result<Option<CheckView>, AppError> {
    match person {
        Some(email) => check_access(scope.to_string(), email).await.map(Some),
        None => Ok(None),
    }
}

#[component]
pub fn CheckAccess(
    members: Vec<MemberView>,
    /// Who was checked, chosen again in the list.
    chosen: Option<String>,
    result: Result<Option<CheckView>, AppError>,
) -> impl IntoView {
    let chosen = chosen.unwrap_or_default();
    let options = members
        .into_iter()
        .map(|m| {
            let selected = m.email == chosen;
            view! { <option value=m.email.clone() selected=selected>{format!("{} <{}>", m.label(), m.email)}</option> }
        })
        .collect_view();
    let result = match result {
        Ok(Some(view)) => view! { <CheckResult view/> }.into_any(),
        Ok(None) => ().into_any(),
        Err(error) => view! { <p class="form-alert" role="alert">{error.message}</p> }.into_any(),
    };
    view! {
        <section class="panel">
            <h2>"Check access"</h2>
            <form method="get" class="filter-form">
                <label for="check-person">"Person to check"</label>
                <select id="check-person" name="check">{options}</select>
                <button type="submit">"Check"</button>
            </form>
            {result}
        </section>
    }
}

#[component]
fn CheckResult(view: CheckView) -> impl IntoView {
    let allowed = view.checks.iter().filter(|c| c.allowed).count();
    let roles =
        if view.roles.is_empty() { "no role here".to_owned() } else { view.roles.join("; ") };
    view! {
        <p>
            <strong>{view.person}</strong>
            {view.service_principal.then(|| view! { " " <span class="badge principal-kind">"Service principal"</span> })}
            {format!(" holds {roles}, and may perform {allowed} of {} actions here.", view.checks.len())}
        </p>
        <table class="table check">
            <thead>
                <tr>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Allowed"</th>
                    <th scope="col">"Why"</th>
                </tr>
            </thead>
            <tbody>
                {view
                    .checks
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr class:denied=!c.allowed>
                                <td><code>{c.action}</code> <br/> <span class="muted small">{c.description}</span></td>
                                <td>{if c.allowed { "Yes" } else { "No" }}</td>
                                <td>{c.reason}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
