//! A workspace's registered models: searchable, filtered by stage (a GET form, so the URL holds
//! the list's state), paged by name, with a form to register a model.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::workspace_overview::workspace_params;
use crate::api::models::{fields, list_models, model_url, ModelsPage, RegisterModel};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::{Description, Framework, ModelName, ModelStage, Tags};
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, valid, Field, FormAlert, SubmitButton, TextAreaField};
use crate::ui::format::{date_time, query_value};
use crate::ui::upload_field::UploadField;
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

#[component]
pub fn ModelsListPage() -> impl IntoView {
    let path = workspace_params();
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let stage = Memo::new(move |_| query.read().get("stage").unwrap_or_default());
    let after = Memo::new(move |_| query.read().get("after").unwrap_or_default());
    let page = Resource::new(
        move || (path(), search.get(), stage.get(), after.get()),
        |((org, group, ws), search, stage, after)| {
            list_models(org, group, ws, search, stage, after)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (search, stage) = (search.get_untracked(), stage.get_untracked());
                loaded(page.await, |page| view! { <Models page search stage/> })
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
fn Models(page: ModelsPage, search: String, stage: String) -> impl IntoView {
    let ws = page.workspace.clone();
    let base = format!("{}/models", ws.url());
    let register = page
        .permitted
        .contains(&Action::ModelsWrite)
        .then(|| view! { <RegisterForm ws=ws.clone()/> });
    let next = page.next_after.clone().map(|after| {
        let href = format!(
            "?q={}&stage={}&after={}",
            query_value(&search),
            query_value(&stage),
            query_value(&after)
        );
        view! { <a class="button" href=href>"Next page"</a> }
    });
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
        .collect_view();
    let filtered = !search.is_empty() || !stage.is_empty();
    let list = if page.models.is_empty() {
        let text = if filtered {
            "No models match."
        } else {
            "No models yet. Register a model from a run, or with the form below."
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <table class="table models">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Latest version"</th>
                        <th scope="col">"Stages"</th>
                        <th scope="col">"Updated"</th>
                        <th scope="col">"Tags"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let stage_options = ModelStage::ALL
        .map(|s| {
            let selected = s.as_str().eq_ignore_ascii_case(&stage);
            view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
        })
        .collect_view();
    view! {
        <Title text=format!("Models · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted=page.permitted.clone() current=Section::Models trail=vec![("Models".into(), None)]>
            <div class="page-heading">
                <h1>"Models"</h1>
            </div>
            <form method="get" class="filter-form panel" aria-label="Search models">
                <label>"Search" <input name="q" type="search" value=search.clone() placeholder="Name, description or tag"/></label>
                <label>
                    "Has a version in"
                    <select name="stage">
                        <option value="" selected=stage.is_empty()>"Any stage"</option>
                        {stage_options}
                    </select>
                </label>
                <button type="submit">"Search"</button>
                <a href=base>"Clear"</a>
            </form>
            {list}
            <p class="actions">{next}</p>
            {register}
        </WorkspaceFrame>
    }
    .into_any()
}

#[component]
fn RegisterForm(ws: WorkspaceCrumbs) -> impl IntoView {
    let action = ServerAction::<RegisterModel>::new();
    let error = action_error(action.value());
    view! {
        <section class="panel narrow-left">
            <h2>"Register a model"</h2>
            <p class="muted">"Registering a name again adds a version to that model."</p>
            // Without JavaScript the browser posts the file itself (`server::multipart_forms`).
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true attr:enctype="multipart/form-data">
                <FormAlert server_error=error/>
                <input type="hidden" name="organization" value=ws.organization_slug.clone()/>
                <input type="hidden" name="resource_group" value=ws.resource_group.clone()/>
                <input type="hidden" name="workspace" value=ws.workspace.clone()/>
                <Field
                    label="Name"
                    name=fields::NAME
                    hint="Letters, digits, '_', '-' and '.', such as churn-classifier."
                    server_error=error
                    validate={valid::<ModelName>}
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
                    validate={valid::<Framework>}
                />
                <TextAreaField
                    label="Version description"
                    name=fields::VERSION_DESCRIPTION
                    rows=2
                    server_error=error
                    validate={valid::<Description>}
                />
                <TextAreaField
                    label="Model description"
                    name=fields::DESCRIPTION
                    rows=2
                    hint="For a new model; for an existing one, replaces its description when given."
                    server_error=error
                    validate={valid::<Description>}
                />
                <TextAreaField
                    label="Model tags"
                    name=fields::TAGS
                    rows=2
                    hint="One key=value per line."
                    server_error=error
                    validate={valid::<Tags>}
                />
                <SubmitButton label="Register model" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
