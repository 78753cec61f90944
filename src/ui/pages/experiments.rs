//! A workspace's experiments: searchable, paged by name, with a form to create one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::workspace_overview::workspace_params;
use crate::api::experiments::{
    experiment_url, fields, list_experiments, CreateExperiment, ExperimentsPage,
};
use crate::authz::Action;
use crate::domain::{Description, ExperimentName, Tags};
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, valid, Field, FormAlert, SubmitButton, TextAreaField};
use crate::ui::format::{date_time, query_value};
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

#[component]
pub fn ExperimentsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let after = Memo::new(move |_| query.read().get("after").unwrap_or_default());
    let page = Resource::new(
        move || (path(), search.get(), after.get()),
        |((org, group, ws), search, after)| list_experiments(org, group, ws, search, after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let search = search.get_untracked();
                loaded(page.await, |page| view! { <Experiments page search/> })
            })}
        </Suspense>
    }
}

#[component]
fn Experiments(page: ExperimentsPage, search: String) -> impl IntoView {
    let ws = page.workspace.clone();
    let base = format!("{}/experiments", ws.url());
    let create = page
        .permitted
        .contains(&Action::ExperimentsWrite)
        .then(|| view! { <CreateForm page=page.clone()/> });
    let next = page.next_after.clone().map(|after| {
        let href = format!("?q={}&after={}", query_value(&search), query_value(&after));
        view! { <a class="button" href=href>"Next page"</a> }
    });
    let rows = page
        .experiments
        .iter()
        .map(|e| {
            let tags =
                e.tags.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
            view! {
                <tr>
                    <td><a href=experiment_url(&ws, &e.name)>{e.name.clone()}</a></td>
                    <td>{e.description.clone()}</td>
                    <td class="number">{e.run_count}</td>
                    <td>{e.last_run_at.map(date_time).unwrap_or_else(|| "—".into())}</td>
                    <td>{e.created_by.clone()}</td>
                    <td class="muted small">{tags}</td>
                </tr>
            }
        })
        .collect_view();
    let list = if page.experiments.is_empty() {
        let text = if search.is_empty() {
            "No experiments yet. An experiment groups the runs of one training script."
        } else {
            "No experiments match."
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="number">"Runs"</th>
                        <th scope="col">"Last run"</th>
                        <th scope="col">"Created by"</th>
                        <th scope="col">"Tags"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Experiments · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Experiments trail=vec![("Experiments".into(), None)]>
            <div class="page-heading">
                <h1>"Experiments"</h1>
            </div>
            <form method="get" class="filter-form panel" aria-label="Search experiments">
                <label>"Search" <input name="q" type="search" value=search.clone() placeholder="Name, description or tag"/></label>
                <button type="submit">"Search"</button>
                <a href=base.clone()>"Clear"</a>
            </form>
            {list}
            <p class="actions">{next}</p>
            {create}
        </WorkspaceFrame>
    }
    .into_any()
}

#[component]
fn CreateForm(page: ExperimentsPage) -> impl IntoView {
    let action = ServerAction::<CreateExperiment>::new();
    let error = action_error(action.value());
    let ws = page.workspace;
    view! {
        <section class="panel narrow-left">
            <h2>"New experiment"</h2>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <input type="hidden" name="organization" value=ws.organization_slug.clone()/>
                <input type="hidden" name="resource_group" value=ws.resource_group.clone()/>
                <input type="hidden" name="workspace" value=ws.workspace.clone()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="Letters, digits, '_', '-' and '.', such as mnist-cnn."
                    server_error=error
                    validate={valid::<ExperimentName>}
                />
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    rows=2
                    server_error=error
                    validate={valid::<Description>}
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    rows=2
                    hint="One key=value per line."
                    server_error=error
                    validate={valid::<Tags>}
                />
                <SubmitButton label="Create experiment" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
