//! A workspace's datastores: where its files live, with a form to register another and, for
//! those allowed, the stored credentials on request (each reading is in the activity log).

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::datastores::{
    datastore_url, fields, list_datastores, CreateDatastore, DatastoreCredentials,
    DatastoreSecretsFn, DatastoreView, DatastoresPage, DeleteDatastore,
};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::datastore::DatastoreKind;
use crate::domain::listing::ListQuery;
use crate::domain::WorkspacePath;
use crate::ui::error_view::loaded;
use crate::ui::form::{
    action_error, kept_answer, Check, Field, FormAlert, SelectField, SubmitButton, WorkspaceFields,
};
use crate::ui::hydration::live_or_island;
use crate::ui::list_page::{headings, list_query, Column, ListPage, ListView, SearchBox};
use crate::ui::workspace_frame::workspace_params;
use crate::ui::workspace_frame::Section;

const COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Kind"),
    Column::text("Location"),
    Column::text("Credentials"),
    Column::number("Outputs"),
    Column::actions(),
];

#[component]
pub fn DatastoresListPage() -> impl IntoView {
    let path = workspace_params();
    let query = list_query(&["q"]);
    let delete = ServerAction::<DeleteDatastore>::new();
    let create = ServerAction::<CreateDatastore>::new();
    let page = Resource::new(
        move || (path(), query.get(), delete.version().get(), create.version().get()),
        |(path, query, _, _)| list_datastores(path, query.get("q")),
    );
    // Credentials shown to a form posted without JavaScript: kept for this render.
    let kept = kept_answer(&[DatastoreSecretsFn::PATH], None);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                let kept = kept.await.of::<DatastoreSecretsFn>();
                loaded(page.await, |page| view! { <Datastores page query kept delete create/> })
            })}
        </Suspense>
    }
}

pub(super) fn location(d: &DatastoreView) -> String {
    match d.kind {
        DatastoreKind::Local => format!("{}/ in the workspace's storage", d.path),
        DatastoreKind::S3 => {
            let prefix = if d.path.is_empty() { String::new() } else { format!("/{}", d.path) };
            let at =
                if d.endpoint.is_empty() { String::new() } else { format!(" at {}", d.endpoint) };
            format!("s3://{}{prefix}{at}", d.bucket)
        }
    }
}

#[component]
fn Datastores(
    page: DatastoresPage,
    query: ListQuery,
    /// Credentials a form posted without JavaScript asked for, with the datastore's name.
    kept: Option<(String, DatastoreCredentials)>,
    delete: ServerAction<DeleteDatastore>,
    create: ServerAction<CreateDatastore>,
) -> impl IntoView {
    let ws = page.workspace.clone();
    let may = |action| page.permitted.contains(&action);
    let may_delete = may(Action::DatastoresDelete);
    let may_see_secrets = may(Action::DatastoresListSecrets);
    let delete_error = action_error(delete.value());
    let rows = page
        .datastores
        .clone()
        .into_iter()
        .map(|d| {
            let (path_delete, path_show) = (ws.path(), ws.path());
            let (name_delete, name_show) = (d.name.clone(), d.name.clone());
            let delete_form = (may_delete && !d.is_default).then(|| {
                view! {
                    <ActionForm action=delete attr:class="inline-form">
                        <WorkspaceFields path=path_delete/>
                        <button type="submit" class="link danger" aria-label=format!("Delete {name_delete}")>"Delete"</button>
                        <input type="hidden" name="datastore" value=name_delete/>
                    </ActionForm>
                }
            });
            let kept = kept.clone().filter(|(name, _)| *name == d.name).map(|(_, shown)| shown);
            let show = (may_see_secrets && d.has_credentials).then(|| {
                live_or_island(
                    || reveal_credentials(path_show.clone(), name_show.clone(), kept.clone()),
                    || view! { <RevealCredentials path=path_show.clone() datastore=name_show.clone() kept=kept.clone()/> },
                )
            });
            view! {
                <tr>
                    <td>
                        <strong><a href=datastore_url(&ws, &d.name)>{d.name.clone()}</a></strong>
                        {d.is_default.then(|| view! { " " <span class="status">"Default"</span> })}
                        <br/>
                        <span class="muted small">{d.description.clone()}</span>
                    </td>
                    <td>{d.kind.label()}</td>
                    <td><code>{location(&d)}</code></td>
                    <td>{if d.has_credentials { "Stored, encrypted" } else { "None" }}</td>
                    <td class="number">{d.output_count}</td>
                    <td class="row-actions">{show} {delete_form}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let create = may(Action::DatastoresWrite)
        .then(|| view! { <CreateForm ws=ws.clone() action=create/> }.into_any());
    let lead = view! {
        <p class="muted">"Where this workspace's files live. Run outputs go to the default datastore."</p>
        <FormAlert server_error=delete_error/>
    };
    let filters = view! {
        <SearchBox value=query.get("q") placeholder="Name, description or bucket"/>
    };
    let list = ListView {
        ws,
        section: Section::Datastores,
        title: "Datastores",
        query,
        next_after: None,
        filters: filters.into_any(),
        lead: Some(lead.into_any()),
        filters_label: "Search datastores",
        submit: "Search",
        headings: headings(COLUMNS),
        table_class: "datastores",
        rows,
        row_count: page.datastores.len(),
        none_yet: "No datastores yet.",
        no_match: "No datastore matches this search.",
        create,
    };
    view! { <ListPage list/> }
}

/// A row's "Show credentials" button and, once pressed, the credentials beneath it: an island,
/// since they are read on request and never put in the page.
#[island]
fn RevealCredentials(
    path: WorkspacePath,
    datastore: String,
    kept: Option<DatastoreCredentials>,
) -> impl IntoView {
    reveal_credentials(path, datastore, kept)
}

/// `kept`: the credentials, when a form posted without JavaScript asked for them.
fn reveal_credentials(
    path: WorkspacePath,
    datastore: String,
    kept: Option<DatastoreCredentials>,
) -> impl IntoView {
    let secrets = ServerAction::<DatastoreSecretsFn>::new();
    let shown = shown_credentials(secrets, kept);
    view! {
        <ActionForm action=secrets attr:class="inline-form">
            <WorkspaceFields path/>
            <button type="submit" class="link" aria-label=format!("Show credentials of {datastore}")>"Show credentials"</button>
            <input type="hidden" name="datastore" value=datastore/>
        </ActionForm>
        {move || shown.get().map(credentials_notice)}
    }
}

/// What the "Show credentials" form answered: in this page, or kept for it by a plain post.
pub(super) fn shown_credentials(
    secrets: ServerAction<DatastoreSecretsFn>,
    kept: Option<DatastoreCredentials>,
) -> Signal<Option<Result<DatastoreCredentials, crate::error::AppError>>> {
    Signal::derive(move || secrets.value().get().or_else(|| kept.clone().map(Ok)))
}

/// What a request for a datastore's credentials returned: them, or why not.
pub(super) fn credentials_notice(
    result: Result<crate::api::datastores::DatastoreCredentials, crate::error::AppError>,
) -> AnyView {
    match result {
        Ok(c) => view! {
            <div class="notice" role="status">
                <p>"Credentials (keep them secret; this reading is in the activity log):"</p>
                <dl class="facts">
                    <dt>"Access key id"</dt>
                    <dd><code>{c.access_key_id}</code></dd>
                    <dt>"Secret key"</dt>
                    <dd><code>{c.secret_access_key}</code></dd>
                </dl>
            </div>
        }
        .into_any(),
        Err(e) => view! { <p class="form-alert" role="alert">{e.message}</p> }.into_any(),
    }
}

#[component]
fn CreateForm(ws: WorkspaceCrumbs, action: ServerAction<CreateDatastore>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <details class="panel narrow-left">
            <summary><h2>"Register a datastore"</h2></summary>
            <ActionForm action=action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert server_error=error/>
                <WorkspaceFields path=ws.path()/>
                <Field label="Name" name=fields::NAME hint="Lowercase letters, digits and '_'." server_error=error validate=Check::DatastoreName/>
                <SelectField label="Kind" name=fields::KIND server_error=error>
                    {DatastoreKind::ALL.map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </SelectField>
                <Field label="Directory or key prefix" name=fields::PATH required=false hint="Local: a directory in the workspace's storage, such as raw_data. S3: an optional prefix." server_error=error/>
                <Field label="Bucket" name=fields::BUCKET required=false hint="S3 only." server_error=error/>
                <Field label="Endpoint" name=fields::ENDPOINT required=false hint="S3-compatible services: their URL, such as https://minio.example.com. Empty for AWS." server_error=error/>
                <Field label="Region" name=fields::REGION required=false server_error=error/>
                <Field label="Access key id" name=fields::ACCESS_KEY_ID required=false server_error=error/>
                <Field label="Secret key" name=fields::SECRET_ACCESS_KEY input_type="password" autocomplete="new-password" required=false hint="Stored encrypted; shown only to those allowed to list secrets." server_error=error/>
                <Field label="Description" name=fields::DESCRIPTION required=false server_error=error/>
                <SubmitButton label="Register datastore" busy_label="Registering…" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}
