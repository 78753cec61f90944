use leptos::prelude::*;

use super::DeploymentPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One deployment of an endpoint: its fields, the model version it serves (with that version's
/// files, for those who may read models) and, for those who may read the activity log, the
/// endpoint's events about it.
#[server(endpoint = "endpoints/get_deployment")]
pub async fn get_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    deployment: String,
) -> Result<DeploymentPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::EndpointsRead, Deleted::Excluded).await?;
    let (record, deployments) = super::with_deployments(&state.pool, &ws, &endpoint).await?;
    let found = deployments
        .into_iter()
        .find(|d| d.name.eq_ignore_ascii_case(deployment.trim()))
        .ok_or_else(AppError::not_found)?;
    let model_files = if ws.permits(Action::ModelsRead) {
        Some(served_files(&state.pool, &ws, &found.model, found.model_version).await?)
    } else {
        None
    };
    let activity = activity(&state.pool, &ws, &record.name, &found.name).await?;
    Ok(DeploymentPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        endpoint: record.name,
        deployment: super::deployment_view(found),
        model_files,
        activity,
        permitted: ws.permitted_actions(),
    })
}

/// The files of the model version a deployment serves.
#[cfg(feature = "ssr")]
async fn served_files(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    model: &str,
    version: i64,
) -> Result<Vec<crate::api::models::ModelFile>, AppError> {
    use crate::server::db::{model_version_files, models};
    use crate::server::error::OrInternal;

    let Some(model) = models::get(pool, ws, model).await.or_internal("reading a model")? else {
        return Ok(Vec::new());
    };
    let files = model_version_files::for_model(pool, ws, model.id, Some(version))
        .await
        .or_internal("reading model files")?;
    Ok(files.into_iter().map(|(_, file)| crate::api::models::file_view(file)).collect())
}

/// The endpoint's latest events that concern the deployment: its own changes and the traffic
/// splits that name it. `None` for those who may not read the activity log.
#[cfg(feature = "ssr")]
async fn activity(
    pool: &crate::server::db::Pool,
    ws: &crate::server::authz::Authorized<crate::server::db::scopes::WorkspaceScope>,
    endpoint: &str,
    deployment: &str,
) -> Result<Option<Vec<crate::api::item_activity::ItemEvent>>, AppError> {
    use crate::api::item_activity::ItemEvent;
    use crate::authz::Action;
    use crate::server::error::OrInternal;

    // The endpoint's events are read newest first and those about others skipped, so a busy
    // endpoint is read further back than the 20 shown.
    const READ: i64 = 200;
    const SHOWN: usize = 20;
    if !ws.permits(Action::ActivityLogRead) {
        return Ok(None);
    }
    let actions = [Action::EndpointsWrite, Action::EndpointsDelete];
    let events = crate::server::db::audit::for_item(pool, ws, &actions, endpoint, READ)
        .await
        .or_internal("reading a deployment's activity")?;
    let concerns = |details: &str| {
        let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
        details["deployment"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(deployment))
            || details["traffic"].get(deployment).is_some()
    };
    Ok(Some(
        events
            .into_iter()
            .filter(|e| concerns(&e.details))
            .take(SHOWN)
            .map(|e| ItemEvent {
                what: super::describe_event(&e.action, &e.details),
                actor: e.actor_name,
                at: e.created_at,
            })
            .collect(),
    ))
}
