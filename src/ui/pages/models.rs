//! A workspace's registered models: searchable, filtered by stage (a GET form, so the URL holds
//! the list's state), paged by name, with a form to register a model.

use leptos::prelude::*;

use crate::api::models::{fields, list_models, model_url, ModelsPage, RegisterModel};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::listing::ListQuery;
use crate::domain::ModelStage;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, Check, Field, FormAlert, SubmitButton, TextAreaField, WorkspaceFields,
};
use crate::ui::format::date_time;
use crate::ui::list_page::{headings, list_query, Column, ListPage, ListView, SearchBox};
use crate::ui::upload_field::UploadField;
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Latest version"),
    Column::text("Stages"),
    Column::text("Updated"),
    Column::text("Tags"),
];

#[component]
pub fn ModelsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q", "stage"]);
    let page = Resource::new(
        move || (path(), query.get()),
        |(path, q)| list_models(path, q.get("q"), q.get("stage"), q.after),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                loaded(page.await, |page| view! { <Models page query/> })
            })}
        </Suspense>
    }
}

#[component]
pub fn StageBadge(stage: ModelStage) -> impl IntoView {
    let class = format!("stage stage-{}", stage.as_str().to_lowercase());
    view! { <span class=class>{stage.label()}</span> }
}

#[component]
fn Models(page: ModelsPage, query: ListQuery) -> impl IntoView {
    let ws = page.workspace.clone();
    let register = page
        .permitted
        .contains(&Action::ModelsWrite)
        .then(|| view! { <RegisterForm ws=ws.clone()/> }.into_any());
    let rows = page
        .models
        .iter()
        .map(|m| {
            let tags =
                m.tags.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
            let latest = if m.latest_version > 0 {
                format!("Version {}", m.latest_version)
            } else {
                "No versions".to_owned()
            };
            let stages = m
                .stages
                .iter()
                .filter(|s| **s != ModelStage::None)
                .map(|s| view! { <StageBadge stage=*s/> " " })
                .collect_view();
            view! {
                <tr>
                    <td><a href=model_url(&ws, &m.name)>{m.name.clone()}</a></td>
                    <td>{latest}</td>
                    <td>{stages}</td>
                    <td>{date_time(m.updated_at)}</td>
                    <td class="muted small">{tags}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let stage = query.get("stage");
    let stage_options = ModelStage::ALL
        .map(|s| {
            let selected = s.as_str().eq_ignore_ascii_case(&stage);
            view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
        })
        .collect_view();
    let filters = view! {
        <SearchBox value=query.get("q")/>
        <label>
            "Has a version in"
            <select name="stage">
                <option value="" selected=stage.is_empty()>"Any stage"</option>
                {stage_options}
            </select>
        </label>
    }
    .into_any();
    let list = ListView {
        ws,
        section: Section::Models,
        title: "Models",
        query,
        next_after: page.next_after,
        filters,
        lead: None,
        filters_label: "Search models",
        submit: "Search",
        headings: headings(COLUMNS),
        table_class: "models",
        rows,
        row_count: page.models.len(),
        none_yet: "No models yet. Register a model from a run, or with the form below.",
        no_match: "No models match.",
        create: register,
    };
    view! { <ListPage list/> }
}

#[component]
fn RegisterForm(ws: WorkspaceCrumbs) -> impl IntoView {
    let action = ServerAction::<RegisterModel>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Register a model"</h2>
            <p class="muted">"Registering a name again adds a version to that model."</p>
            // A plain form post: the browser sends the file itself (`server::multipart_forms`).
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true attr:enctype="multipart/form-data">
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="Letters, digits, '_', '-' and '.', such as churn-classifier."
                    server_error=error
                    validate=Check::ModelName
                />
                <Field
                    label="Source run"
                    name=fields::SOURCE_RUN
                    hint="The id of the run that produced it, if any (shown under the run's name)."
                    required=false
                    server_error=error
                />
                <Field
                    label="Files from the run"
                    name=fields::ARTIFACT_PATH
                    hint="A file or folder in that run's outputs, such as outputs/model, copied into the version."
                    required=false
                    server_error=error
                />
                <UploadField
                    label="Or upload a file"
                    id="register-model-file"
                    hint="Such as model.onnx or model.pkl. At most 8 MB."
                    content_field=fields::CONTENT
                    file_name_field=fields::FILE_NAME
                    server_error=error
                />
                <Field
                    label="Framework"
                    name=fields::FRAMEWORK
                    hint="Such as PyTorch or scikit-learn."
                    required=false
                    server_error=error
                    validate=Check::Framework
                />
                <TextAreaField
                    label="Version description"
                    name=fields::VERSION_DESCRIPTION
                    rows=2
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Model description"
                    name=fields::DESCRIPTION
                    rows=2
                    hint="For a new model; for an existing one, replaces its description when given."
                    server_error=error
                    validate=Check::Description
                />
                <TextAreaField
                    label="Model tags"
                    name=fields::TAGS
                    rows=2
                    hint="One key=value per line."
                    server_error=error
                    validate=Check::Tags
                />
                <SubmitButton label="Register model" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
