//! One datastore: where it is, whether credentials are stored (shown on request to those who
//! may list secrets, each reading recorded), what the workspace keeps in it, and its activity.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::datastores::{credentials_notice, location, shown_credentials};
use crate::api::datastores::{
    get_datastore, DatastoreCredentials, DatastoreDetail, DatastoreSecretsFn, DatastoreView,
};
use crate::api::item_activity::ItemEvent;
use crate::authz::Action;
use crate::domain::WorkspacePath;
use crate::ui::error_view::loaded;
use crate::ui::form::{kept_answer, WorkspaceFields};
use crate::ui::format::date_time;
use crate::ui::hydration::live_or_island;
use crate::ui::item_activity::ItemActivity;
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

#[component]
pub fn DatastorePage() -> impl IntoView {
    let path = workspace_params();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("datastore").unwrap_or_default());
    let data =
        Resource::new(move || (path(), name.get()), |(path, name)| get_datastore(path, name));
    // Credentials shown to a form posted without JavaScript: kept for this render.
    let kept = kept_answer(&[DatastoreSecretsFn::PATH], Some(name.get_untracked()));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let kept = kept.await.of_item::<DatastoreSecretsFn>(&name.get_untracked());
                loaded(data.await, |page| view! { <Datastore page kept/> })
            })}
        </Suspense>
    }
}

#[component]
fn Datastore(page: DatastoreDetail, kept: Option<DatastoreCredentials>) -> impl IntoView {
    let ws = page.workspace.clone();
    let d = page.datastore.clone();
    let trail = vec![
        ("Datastores".to_owned(), Some(format!("{}/datastores", ws.url()))),
        (d.name.clone(), None),
    ];
    let may_reveal = page.permitted.contains(&Action::DatastoresListSecrets) && d.has_credentials;
    let details = {
        let (path, d, activity) = (ws.path(), d.clone(), page.activity.clone());
        let for_island = (path.clone(), d.clone(), activity.clone(), kept.clone());
        live_or_island(
            move || details_and_activity(path, d, (may_reveal, kept), activity),
            move || {
                let (path, datastore, activity, kept) = for_island;
                view! { <DetailsAndActivity path datastore may_reveal kept activity/> }
            },
        )
    };
    view! {
        <Title text=format!("{} · Datastores", d.name)/>
        <WorkspaceTrail crumbs=ws.clone() trail/>
            <div class="page-heading">
                <div>
                    <h1>{d.name.clone()}</h1>
                    <p class="muted">
                        {d.is_default.then(|| view! { <span class="status">"Default"</span> " " })}
                        {format!("{} · registered {} by {}", d.kind.label(), date_time(d.created_at), d.created_by)}
                    </p>
                </div>
            </div>
            {details}
    }
}

/// The details with "Show credentials", and the activity, alive together: reading the
/// credentials is an event, and the activity shows it as soon as they are shown.
#[island]
fn DetailsAndActivity(
    path: WorkspacePath,
    datastore: DatastoreView,
    may_reveal: bool,
    kept: Option<DatastoreCredentials>,
    activity: Option<Vec<ItemEvent>>,
) -> impl IntoView {
    details_and_activity(path, datastore, (may_reveal, kept), activity)
}

/// `reveal`: whether "Show credentials" is offered, and the credentials a form posted without
/// JavaScript asked for.
fn details_and_activity(
    path: WorkspacePath,
    d: DatastoreView,
    (may_reveal, kept): (bool, Option<DatastoreCredentials>),
    activity: Option<Vec<ItemEvent>>,
) -> impl IntoView {
    let secrets = ServerAction::<DatastoreSecretsFn>::new();
    let shown = shown_credentials(secrets, kept);
    let activity = RwSignal::new(activity);
    let name = d.name.clone();
    Effect::watch(
        move || secrets.version().get(),
        {
            let (path, name) = (path.clone(), name.clone());
            move |_, _, _| {
                let (path, name) = (path.clone(), name.clone());
                leptos::task::spawn_local(async move {
                    // The page stays as it was if the reload fails; the reading is logged anyway.
                    if let Ok(page) = get_datastore(path, name).await {
                        activity.set(page.activity);
                    }
                });
            }
        },
        false,
    );
    let show = may_reveal.then(move || {
        view! {
            <ActionForm action=secrets attr:class="inline-form">
                <WorkspaceFields path/>
                <input type="hidden" name="datastore" value=name/>
                <button type="submit">"Show credentials"</button>
            </ActionForm>
            {move || shown.get().map(credentials_notice)}
        }
    });
    view! {
        <section class="panel">
            <h2>"Details"</h2>
            <dl class="facts">
                <dt>"Location"</dt>
                <dd><code>{location(&d)}</code></dd>
                <dt>"Credentials"</dt>
                <dd>{if d.has_credentials { "Stored, encrypted" } else { "None" }}</dd>
                <dt>"Description"</dt>
                <dd>{if d.description.is_empty() { "—".to_owned() } else { d.description.clone() }}</dd>
                <dt>"Run outputs"</dt>
                <dd>{d.output_count}</dd>
                <dt>"Model files"</dt>
                <dd>{d.model_file_count}</dd>
            </dl>
            {d.is_default.then(|| view! { <p class="muted small">"Run outputs, code snapshots, uploaded data and model files go here; the default datastore cannot be deleted."</p> })}
            {show}
        </section>
        {move || activity.get().map(|events| view! { <ItemActivity events/> })}
    }
}
