use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::error_view::loaded;

use crate::api::workspaces::{get_workspace, WorkspaceCrumbs, WorkspaceView};
use crate::authz::Action;
use crate::ui::copy_field::CopyField;
use crate::ui::environment_badge::EnvironmentBadge;
use crate::ui::format::date_time;
use crate::ui::scope_links::ScopeLinks;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn WorkspaceOverviewPage() -> impl IntoView {
    let path = workspace_params();
    let view = Resource::new(path, get_workspace);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move { loaded(view.await, |ws| view! { <Overview ws/> }) })}
        </Suspense>
    }
}

#[component]
fn Overview(ws: WorkspaceView) -> impl IntoView {
    let card = ws.card.clone();
    let crumbs = WorkspaceCrumbs {
        organization_slug: card.organization_slug.clone(),
        organization_name: card.organization_name.clone(),
        resource_group: card.resource_group.clone(),
        workspace: card.name.clone(),
    };
    let settings_link = ws.may(Action::WorkspacesWrite).then(
        || view! { <a class="button" href=format!("{}/settings", card.url())>"Settings"</a> },
    );
    let tags = if ws.tags.is_empty() {
        view! { <span class="muted">"None"</span> }.into_any()
    } else {
        view! {
            <ul class="tags">
                {ws.tags.iter().map(|(k, v)| view! { <li class="tag">{format!("{k}: {v}")}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Title text=card.display_name.clone()/>
        <WorkspaceTrail crumbs=crumbs/>
        <div class="page-heading">
            <div>
                <h1>{card.display_name.clone()}</h1>
                <p class="muted">
                    <EnvironmentBadge environment=card.environment/>
                    " Your role: " <strong>{card.roles.join(", ")}</strong>
                </p>
            </div>
            <p class="actions">
                {settings_link}
                <ScopeLinks base=card.url() permitted=ws.permitted.clone()/>
            </p>
        </div>
        <section class="panel">
            <h2>"Overview"</h2>
            <dl class="facts">
                <dt>"Name"</dt>
                <dd><code>{card.name.clone()}</code></dd>
                <dt>"Description"</dt>
                <dd>{if ws.description.is_empty() { "—".to_owned() } else { ws.description.clone() }}</dd>
                <dt>"Environment"</dt>
                <dd>{card.environment.label()}</dd>
                <dt>"Tags"</dt>
                <dd>{tags}</dd>
                <dt>"Created"</dt>
                <dd>{format!("{} by {}", date_time(ws.created_at), ws.created_by)}</dd>
                <dt>"Last activity"</dt>
                <dd>{date_time(card.last_activity_at)}</dd>
                <dt>"Scope"</dt>
                <dd><code class="scope">{ws.scope_path()}</code></dd>
            </dl>
        </section>
        <section>
            <h2>"Assets"</h2>
            <ul class="count-grid">
                {ws
                    .resource_counts
                    .iter()
                    .map(|(kind, count)| {
                        let href = format!("{}/{}", card.url(), kind.to_lowercase());
                        view! {
                            <li class="count-card">
                                <a href=href>
                                    <span class="count">{*count}</span>
                                    <span>{kind.clone()}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <TrackingPanel uri=ws.tracking_uri.clone()/>
        <section class="panel">
            <h2>"Associated resources"</h2>
            <dl class="facts">
                {ws
                    .associated
                    .iter()
                    .map(|r| {
                        view! {
                            <dt>{r.kind.clone()}</dt>
                            <dd>{r.description.clone()} " " <span class="muted">{r.location.clone()}</span></dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
    .into_any()
}

/// How scripts log here: the workspace's MLflow tracking URI and a snippet to start with.
#[component]
fn TrackingPanel(uri: String) -> impl IntoView {
    let snippet = format!(
        "import mlflow\nmlflow.set_tracking_uri(\"{uri}\")  # with MLFLOW_TRACKING_TOKEN set to a token\nmlflow.set_experiment(\"my-experiment\")"
    );
    view! {
        <section class="panel tracking">
            <h2>"Log from scripts"</h2>
            <p class="muted">
                "Point the MLflow client at this workspace: runs, parameters, metrics and artifacts it logs "
                "appear under Experiments and Runs. It signs in with an "
                <a href="/tokens">"access token"</a> " in " <code>"MLFLOW_TRACKING_TOKEN"</code> "."
            </p>
            <CopyField label="MLflow tracking URI" id="tracking-uri" value=uri/>
            <CopyField label="Python" id="tracking-snippet" value=snippet multiline=true/>
        </section>
    }
}
