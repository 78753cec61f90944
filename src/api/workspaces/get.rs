use leptos::prelude::*;

use super::WorkspaceView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// The workspace overview: settings, my role, counts of what it holds, associated resources.
#[server(endpoint = "workspaces/get")]
pub async fn get_workspace(
    #[server(flatten)] path: WorkspacePath,
) -> Result<WorkspaceView, AppError> {
    use super::{AssociatedResource, WorkspaceCard};
    use crate::authz::Action;
    use crate::server::db::{
        computes, datasets, datastores, environments, experiments, models, pipelines, Backend,
    };
    use crate::server::error::OrInternal;

    let caller = crate::server::authz::Caller::current().await?;
    let (ws, record) = details(&caller, &path).await?;
    let state = &caller.state;
    let scope = &record.scope;
    // Each kind is counted for those who may read it; the others do not see it at all.
    let mut resource_counts: Vec<(String, i64)> = Vec::new();
    if ws.permits(Action::ExperimentsRead) {
        let (experiment_count, run_count) =
            experiments::counts(&state.pool, &ws).await.or_internal("counting experiments")?;
        resource_counts.push(("Experiments".to_owned(), experiment_count));
        resource_counts.push(("Runs".to_owned(), run_count));
    }
    if ws.permits(Action::ModelsRead) {
        let count = models::count(&state.pool, &ws).await.or_internal("counting models")?;
        resource_counts.push(("Models".to_owned(), count));
    }
    if ws.permits(Action::DatasetsRead) {
        let n = datasets::count(&state.pool, &ws).await.or_internal("counting data assets")?;
        resource_counts.push(("Datasets".to_owned(), n));
    }
    if ws.permits(Action::DatastoresRead) {
        let n = datastores::count(&state.pool, &ws).await.or_internal("counting datastores")?;
        resource_counts.push(("Datastores".to_owned(), n));
    }
    if ws.permits(Action::EnvironmentsRead) {
        let n = environments::count(&state.pool, &ws).await.or_internal("counting environments")?;
        resource_counts.push(("Environments".to_owned(), n));
    }
    if ws.permits(Action::ComputesRead) {
        let count = computes::count(&state.pool, &ws).await.or_internal("counting compute")?;
        resource_counts.push(("Compute".to_owned(), count));
    }
    if ws.permits(Action::EndpointsRead) {
        let n = crate::server::db::endpoints::count(&state.pool, &ws)
            .await
            .or_internal("counting endpoints")?;
        resource_counts.push(("Endpoints".to_owned(), n));
    }
    if ws.permits(Action::PipelinesRead) {
        let count = pipelines::count(&state.pool, &ws).await.or_internal("counting pipelines")?;
        resource_counts.push(("Pipelines".to_owned(), count));
    }
    let database = match Backend::of(&state.settings.database_url) {
        Backend::Sqlite => "the embedded SQLite database",
        Backend::Postgres => "the PostgreSQL database",
    };
    Ok(WorkspaceView {
        card: WorkspaceCard {
            organization_slug: scope.resource_group.organization.slug.clone(),
            organization_name: scope.resource_group.organization.name.clone(),
            resource_group: scope.resource_group.name.clone(),
            name: scope.name.clone(),
            display_name: record.display_name.clone(),
            environment: record.environment,
            roles: ws.role_names(),
            last_activity_at: record.last_activity_at,
        },
        description: record.description.clone(),
        tags: record.tags.pairs().to_vec(),
        created_by: record.created_by.clone(),
        created_at: record.created_at,
        permitted: ws.permitted_actions(),
        resource_counts,
        tracking_uri: crate::server::mlflow::tracking_uri(
            state.settings.base_url.as_ref().map(|u| u.as_str()).unwrap_or_default(),
            &scope.resource_group.organization.slug,
            &scope.resource_group.name,
            &scope.name,
        ),
        associated: vec![
            AssociatedResource {
                kind: "Metadata store".into(),
                description: "Runs, metrics, model and dataset records.".into(),
                location: format!("Kept in {database}, separated by organization."),
            },
            AssociatedResource {
                kind: "Default datastore".into(),
                description: "Run outputs, logs and code snapshots.".into(),
                location: format!("workspaces/{}/ under the server's data directory", scope.id),
            },
            AssociatedResource {
                kind: "Secrets".into(),
                description: "Datastore credentials and endpoint keys.".into(),
                location: "Sealed with the server's key (ChaCha20-Poly1305) in the metadata store."
                    .into(),
            },
            AssociatedResource {
                kind: "Monitoring".into(),
                description: "Who changed what, and when.".into(),
                location: "This workspace's Activity log (every change, by whom and from where; \
                           exportable as JSON lines), and the server's log."
                    .into(),
            },
        ],
    })
}

/// The workspace at `path` with its settings, for whoever may read it.
#[cfg(feature = "ssr")]
pub(crate) async fn details(
    caller: &crate::server::authz::Caller,
    path: &WorkspacePath,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
        crate::server::db::workspaces::WorkspaceRecord,
    ),
    AppError,
> {
    use crate::authz::Action;
    use crate::server::authz::Deleted;
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let ws = caller.workspace(path, Action::WorkspacesRead, Deleted::Excluded).await?;
    let record =
        workspaces::details(caller.pool(), &ws).await.or_internal("reading a workspace")?;
    Ok((ws, record))
}
