//! A workspace's environments (latest version of each, searchable) and one environment's
//! versions with their specifications; registering a version as the roles allow.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::environments::{
    fields, get_environment, list_environments, DeleteEnvironmentVersion, EnvironmentView,
    EnvironmentsPage, RegisterEnvironment,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::listing::ListQuery;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, Check, Field, FormAlert, SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::format::date_time;
use crate::ui::item_activity::ItemActivity;
use crate::ui::list_page::{headings, list_query, Column, ListPage, ListView, SearchBox};
use crate::ui::workspace_frame::{workspace_params, Section, WorkspaceTrail};

const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::number("Latest version"),
    Column::text("Base image"),
    Column::text("Description"),
    Column::text("Registered"),
];

#[component]
pub fn EnvironmentsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q"]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_environments(path, q.get("q"), q.after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Environments page query/> })
            })}
        </Suspense>
    }
}

fn environment_url(ws: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/environments/{name}", ws.url())
}

#[component]
fn Environments(page: EnvironmentsPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let rows = page
        .environments
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td><a href=environment_url(&ws, &e.name)>{e.name.clone()}</a></td>
                    <td class="number">{e.version}</td>
                    <td><code>{e.base_image.clone()}</code></td>
                    <td>{e.description.clone()}</td>
                    <td>{date_time(e.created_at)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let register = page.permitted.contains(&Action::EnvironmentsWrite).then(|| {
        let action = ServerAction::<RegisterEnvironment>::new();
        view! { <RegisterForm ws=ws.clone() name=String::new() image=String::new() spec=String::new() action/> }
            .into_any()
    });
    let placeholder = "Name, image, description or tag";
    let filters = view! { <SearchBox value=query.get("q") placeholder/> }.into_any();
    let list = ListView {
        ws,
        section: Section::Environments,
        title: "Environments",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Search environments",
        submit: "Search",
        headings: headings(COLUMNS),
        table_class: "",
        rows,
        row_count: page.environments.len(),
        none_yet: "No environments yet.",
        no_match: "No environments match.",
        create: register,
    };
    view! { <ListPage list/> }
}

#[component]
fn RegisterForm(
    ws: WorkspaceCrumbs,
    name: String,
    image: String,
    spec: String,
    action: ServerAction<RegisterEnvironment>,
) -> impl IntoView {
    let error = action_error(action.value());
    let heading =
        if name.is_empty() { "Register an environment" } else { "Register a new version" };
    let name_field = if name.is_empty() {
        view! { <Field label="Name" name=fields::NAME hint="Such as sklearn-1.5." server_error=error validate=Check::EnvironmentName/> }.into_any()
    } else {
        view! { <input type="hidden" name=fields::NAME value=name/> }.into_any()
    };
    view! {
        <details class="panel narrow-left">
            <summary><h2>{heading}</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                {name_field}
                <Field label="Base image" name=fields::BASE_IMAGE value=image hint="Such as python:3.11-slim." server_error=error/>
                <TextAreaField label="Conda or pip specification" name=fields::CONDA_SPEC value=spec rows=8 hint="A conda environment file or pip requirements." server_error=error/>
                <Field label="Description" name=fields::DESCRIPTION required=false server_error=error validate=Check::Description/>
                <TextAreaField label="Tags" name=fields::TAGS rows=2 hint="One key=value per line." server_error=error validate=Check::Tags/>
                <SubmitButton label="Register" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn EnvironmentPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("environment").unwrap_or_default());
    let delete = ServerAction::<DeleteEnvironmentVersion>::new();
    let register = ServerAction::<RegisterEnvironment>::new();
    let view = Resource::new(
        move || (path(), name.get(), delete.version().get(), register.version().get()),
        |(path, name, _, _)| get_environment(path, name),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(view.await, |view| view! { <Environment view delete register/> }) })}
        </Suspense>
    }
}

#[component]
fn Environment(
    view: EnvironmentView,
    delete: ServerAction<DeleteEnvironmentVersion>,
    register: ServerAction<RegisterEnvironment>,
) -> impl IntoView {
    let ws = view.workspace.clone();
    let latest = view.versions[0].clone();
    let may_delete = view.permitted.contains(&Action::EnvironmentsDelete);
    let delete_error = action_error(delete.value());
    let count = view.versions.len();
    let versions = view
        .versions
        .clone()
        .into_iter()
        .map(|v| {
            let path = ws.path();
            let (name, version) = (v.name.clone(), v.version.to_string());
            let remove = may_delete.then(|| {
                view! {
                    <ActionForm action=delete attr:class="inline-form">
                        <WorkspaceFields path/>
                        <input type="hidden" name="environment" value=name/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="link danger" aria-label=format!("Delete version {}", v.version)>"Delete"</button>
                    </ActionForm>
                }
            });
            view! {
                <section class="panel">
                    <div class="section-heading">
                        <h2>{format!("Version {}", v.version)}</h2>
                        <span class="muted">{format!("{} by {}", date_time(v.created_at), v.created_by)} {remove}</span>
                    </div>
                    <dl class="facts">
                        <dt>"Base image"</dt>
                        <dd><code>{v.base_image.clone()}</code></dd>
                        <dt>"Description"</dt>
                        <dd>{if v.description.is_empty() { "—".to_owned() } else { v.description.clone() }}</dd>
                        <dt>"Tags"</dt>
                        <dd>{v.tags.iter().map(|(k, val)| format!("{k}: {val}")).collect::<Vec<_>>().join(", ")}</dd>
                    </dl>
                    <pre class="spec">{if v.conda_spec.is_empty() { "No specification.".to_owned() } else { v.conda_spec.clone() }}</pre>
                </section>
            }
        })
        .collect_view();
    let register_form = view.permitted.contains(&Action::EnvironmentsWrite).then(|| {
        view! { <RegisterForm ws=ws.clone() name=latest.name.clone() image=latest.base_image.clone() spec=latest.conda_spec.clone() action=register/> }
    });
    let trail = vec![
        ("Environments".to_owned(), Some(format!("{}/environments", ws.url()))),
        (latest.name.clone(), None),
    ];
    view! {
        <Title text=format!("{} · Environments", latest.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <h1>{latest.name.clone()}</h1>
            <p class="muted">{format!("{count} version(s); the latest is {}.", latest.version)}</p>
            <FormAlert server_error=delete_error/>
            {register_form}
            {versions}
            {view.activity.clone().map(|events| view! { <ItemActivity events/> })}
    }
    .into_any()
}
