//! One registered model: what it is, its versions (stage, source run, framework, files) with a stage
//! control per version for those who may move them, forms to edit or delete it as the roles
//! allow, and its recent activity.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model_forms::{
    hidden_model, DeleteModelForm, DeleteVersionForm, EditModelForm, EditVersionForm,
};
use super::models::StageBadge;
use crate::api::endpoints::{deployment_url, endpoint_url, ServingDeployment};
use crate::api::models::{
    fields, get_model, model_file_url, DeleteModelVersion, ModelFile, ModelVersionView, ModelView,
    SetModelStage, SourceRunView, UpdateModel, UpdateModelVersion,
};
use crate::api::runs::run_url;
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::ModelStage;
use crate::ui::error_view::loaded;
use crate::ui::form::{action_error, FormAlert};
use crate::ui::format::{date, date_time, file_size, query_value};
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

/// The page's changes: each one reloads the model when it completes.
#[derive(Clone, Copy)]
struct Actions {
    set_stage: ServerAction<SetModelStage>,
    update: ServerAction<UpdateModel>,
    update_version: ServerAction<UpdateModelVersion>,
    delete_version: ServerAction<DeleteModelVersion>,
}

#[component]
pub fn ModelPage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let actions = Actions {
        set_stage: ServerAction::new(),
        update: ServerAction::new(),
        update_version: ServerAction::new(),
        delete_version: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            let changes = (
                actions.set_stage.version().get(),
                actions.update.version().get(),
                actions.update_version.version().get(),
                actions.delete_version.version().get(),
            );
            (path(), model.get(), changes)
        },
        |(path, model, _)| get_model(path, model),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |view| view! { <Model view actions/> })
            })}
        </Suspense>
    }
}

#[component]
fn Model(view: ModelView, actions: Actions) -> impl IntoView {
    let ws = view.workspace.clone();
    let model = view.model.clone();
    let may = |action| view.permitted.contains(&action);
    let may_stage = may(Action::ModelsStageWrite);
    let has_versions = !view.versions.is_empty();
    let edit = may(Action::ModelsWrite).then(|| {
        view! {
            <EditModelForm ws=ws.clone() model=model.clone() action=actions.update/>
            {has_versions.then(|| view! { <EditVersionForm ws=ws.clone() model=model.name.clone() versions=view.versions.clone() action=actions.update_version/> })}
        }
    });
    let delete = may(Action::ModelsDelete).then(|| {
        view! {
            {has_versions.then(|| view! { <DeleteVersionForm ws=ws.clone() model=model.name.clone() versions=view.versions.clone() action=actions.delete_version/> })}
            <DeleteModelForm ws=ws.clone() name=model.name.clone()/>
        }
    });
    let activity = view.activity.clone().map(|events| view! { <ItemActivity events/> });
    let deployments = may(Action::EndpointsRead).then(|| {
        view! { <ServingDeployments ws=ws.clone() deployments=view.deployments.clone()/> }
    });
    let tags = model
        .tags
        .iter()
        .map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> })
        .collect_view();
    let trail = vec![
        ("Models".to_owned(), Some(format!("{}/models", ws.url()))),
        (model.name.clone(), None),
    ];
    let count = match model.version_count {
        1 => "1 version".to_owned(),
        n => format!("{n} versions"),
    };
    view! {
        <Title text=format!("{} · Models", model.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{model.name.clone()}</h1>
                    <p class="muted">
                        {format!("{count} · registered {} by {}", date_time(model.created_at), model.created_by)}
                    </p>
                </div>
            </div>
            {(!model.description.is_empty()).then(|| view! { <p class="model-description">{model.description.clone()}</p> })}
            <ul class="tags">{tags}</ul>
            <h2>"Versions"</h2>
            <VersionsTable ws=ws.clone() model=model.name.clone() versions=view.versions.clone() may_stage action=actions.set_stage/>
            {deployments}
            {edit}
            {delete}
            {activity}
    }
    .into_any()
}

#[component]
fn VersionsTable(
    ws: WorkspaceCrumbs,
    model: String,
    versions: Vec<ModelVersionView>,
    may_stage: bool,
    action: ServerAction<SetModelStage>,
) -> impl IntoView {
    if versions.is_empty() {
        return view! { <p class="muted">"No versions: register one to use this model."</p> }
            .into_any();
    }
    let error = action_error(action.value());
    let archived = move || {
        action.value().get().and_then(Result::ok).flatten().map(|v| {
            view! { <p class="notice" role="status">{format!("Version {v} was in production and is now archived.")}</p> }
        })
    };
    let rows = versions
        .into_iter()
        .map(|v| view! { <VersionRow ws=ws.clone() model=model.clone() version=v may_stage action/> })
        .collect_view();
    view! {
        <FormAlert server_error=error/>
        {archived}
        <div class="table-scroll">
            <table class="table versions">
                <thead>
                    <tr>
                        <th scope="col">"Version"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Source run"</th>
                        <th scope="col">"Framework"</th>
                        <th scope="col">"Files"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Registered"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn VersionRow(
    ws: WorkspaceCrumbs,
    model: String,
    version: ModelVersionView,
    may_stage: bool,
    action: ServerAction<SetModelStage>,
) -> impl IntoView {
    let n = version.version;
    let source = match &version.source_run {
        SourceRunView::Run { name, display_name } => {
            view! { <a href=run_url(&ws, name)>{display_name.clone()}</a> }.into_any()
        }
        SourceRunView::Deleted { name } => view! {
            <span class="muted">"Run deleted"</span> <br/> <code class="muted small">{name.clone()}</code>
        }
        .into_any(),
        SourceRunView::Hidden => view! { <span class="muted">"A run"</span> }.into_any(),
        SourceRunView::None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let tags = version.tags.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
    let files = view! { <VersionFiles ws=ws.clone() model=model.clone() version=n files=version.files.clone()/> };
    let stage_form = may_stage.then(|| {
        let options = ModelStage::ALL
            .map(|s| view! { <option value=s.as_str() selected=s == version.stage>{s.label()}</option> })
            .collect_view();
        view! {
            <ActionForm action=action attr:class="stage-form">
                {hidden_model(&ws, &model)}
                <input type="hidden" name=fields::VERSION value=n.to_string()/>
                <select name=fields::STAGE aria-label=format!("Stage for version {n}")>{options}</select>
                <button type="submit">"Set stage"</button>
            </ActionForm>
        }
    });
    view! {
        <tr id=format!("version-{n}")>
            <th scope="row">{n}</th>
            <td><StageBadge stage=version.stage/> {stage_form}</td>
            <td>{source}</td>
            <td>{if version.framework.is_empty() { "—".to_owned() } else { version.framework.clone() }}</td>
            <td>{files}</td>
            <td class="version-notes">{version.description.clone()} <span class="muted small">{tags}</span></td>
            <td>{date(version.created_at)} <br/> <span class="muted small">{format!("by {}", version.created_by)}</span></td>
        </tr>
    }
    .into_any()
}

/// A version's files: how many and how large, opening to a download link per file.
#[component]
fn VersionFiles(
    ws: WorkspaceCrumbs,
    model: String,
    version: i64,
    files: Vec<ModelFile>,
) -> impl IntoView {
    if files.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let total: i64 = files.iter().map(|f| f.size).sum();
    let count = match files.len() {
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    };
    view! {
        <details class="version-files">
            <summary>{format!("{count} · {}", file_size(total))}</summary>
            <ModelFilesList ws model version files/>
        </details>
    }
    .into_any()
}

/// A model version's files, each a download link with its size.
#[component]
pub fn ModelFilesList(
    ws: WorkspaceCrumbs,
    model: String,
    version: i64,
    files: Vec<ModelFile>,
) -> impl IntoView {
    let links = files
        .iter()
        .map(|f| {
            let encoded: Vec<String> = f.path.split('/').map(query_value).collect();
            let href = model_file_url(&ws, &model, version, &encoded.join("/"));
            let label = format!("Download {} of version {version}", f.path);
            view! {
                <li>
                    <a href=href download="" aria-label=label title=format!("SHA-256 {}", f.sha256)>{f.path.clone()}</a>
                    " " <span class="muted small">{file_size(f.size)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="model-files">{links}</ul> }
}

/// The online endpoints' deployments serving the model's versions (which therefore cannot be
/// deleted while they do).
#[component]
fn ServingDeployments(ws: WorkspaceCrumbs, deployments: Vec<ServingDeployment>) -> impl IntoView {
    let body = if deployments.is_empty() {
        view! { <p class="muted">"No online endpoint serves this model."</p> }.into_any()
    } else {
        let rows = deployments
            .into_iter()
            .map(|d| {
                view! {
                    <tr>
                        <td><a href=endpoint_url(&ws, &d.endpoint)>{d.endpoint.clone()}</a></td>
                        <td><a href=deployment_url(&ws, &d.endpoint, &d.deployment)>{d.deployment.clone()}</a></td>
                        <td><a href=format!("#version-{}", d.model_version)>{d.model_version}</a></td>
                        <td><span class=format!("status status-{}", d.state.as_str())>{d.state.label()}</span></td>
                        <td class="number">{format!("{}%", d.traffic_percent)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table serving-deployments">
                    <thead>
                        <tr>
                            <th scope="col">"Endpoint"</th>
                            <th scope="col">"Deployment"</th>
                            <th scope="col">"Version"</th>
                            <th scope="col">"State"</th>
                            <th scope="col" class="number">"Traffic"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Deployments"</h2>
            {body}
        </section>
    }
}
