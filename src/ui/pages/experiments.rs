//! A workspace's experiments: searchable, paged by name, with a form to create one.

use leptos::prelude::*;

use crate::api::experiments::{
    experiment_url, fields, list_experiments, CreateExperiment, ExperimentsPage,
};
use crate::authz::Action;
use crate::domain::listing::ListQuery;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, Check, Field, FormAlert, SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::format::date_time;
use crate::ui::list_page::{headings, list_query, Column, ListPage, ListView, SearchBox};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Description"),
    Column::number("Runs"),
    Column::text("Last run"),
    Column::text("Created by"),
    Column::text("Tags"),
];

#[component]
pub fn ExperimentsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q"]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_experiments(path, q.get("q"), q.after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Experiments page query/> })
            })}
        </Suspense>
    }
}

#[component]
fn Experiments(page: ExperimentsPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let create = page
        .permitted
        .contains(&Action::ExperimentsWrite)
        .then(|| view! { <CreateForm page=page.clone()/> }.into_any());
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
        .collect_view()
        .into_any();
    let filters = view! { <SearchBox value=query.get("q")/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Experiments,
        title: "Experiments",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Search experiments",
        submit: "Search",
        headings: headings(COLUMNS),
        table_class: "",
        rows,
        row_count: page.experiments.len(),
        none_yet: "No experiments yet. An experiment groups the runs of one training script.",
        no_match: "No experiments match.",
        create,
    };
    view! { <ListPage list/> }
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
                <WorkspaceFields path=ws.path()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="Letters, digits, '_', '-' and '.', such as mnist-cnn."
                    server_error=error
                    validate=Check::ExperimentName
                />
                <TextAreaField
                    label="Description"
                    name=fields::DESCRIPTION
                    rows=2
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Tags"
                    name=fields::TAGS
                    rows=2
                    hint="One key=value per line."
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Create experiment" busy_label="Creating…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
