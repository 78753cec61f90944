use leptos::prelude::*;

use super::ModelView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A model with its versions (newest first) and, for those who may read the activity log,
/// its latest events.
#[server(endpoint = "models/get")]
pub async fn get_model(
    #[server(flatten)] path: WorkspacePath,
    model: String,
) -> Result<ModelView, AppError> {
    use super::{describe_event, version_view};
    use crate::api::item_activity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{model_version_files, model_versions, models};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::ModelsRead, Deleted::Excluded).await?;
    let record = models::get(&state.pool, &ws, &model)
        .await
        .or_internal("reading a model")?
        .ok_or_else(AppError::not_found)?;
    let versions = model_versions::for_model(&state.pool, &ws, record.id)
        .await
        .or_internal("reading model versions")?;
    let mut files = std::collections::HashMap::<i64, Vec<super::ModelFile>>::new();
    for (version, file) in model_version_files::for_model(&state.pool, &ws, record.id, None)
        .await
        .or_internal("reading model files")?
    {
        files.entry(version).or_default().push(super::file_view(file));
    }
    let actions = [Action::ModelsWrite, Action::ModelsStageWrite, Action::ModelsDelete];
    let activity =
        item_activity::recent(&state.pool, &ws, &actions, &record.name, describe_event).await?;
    let deployments = crate::api::endpoints::serving_model(&state.pool, &ws, record.id).await?;
    let may_read_runs = ws.permits(Action::RunsRead);
    Ok(ModelView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        versions: versions
            .into_iter()
            .map(|v| {
                let files = files.remove(&v.version).unwrap_or_default();
                version_view(v, files, may_read_runs)
            })
            .collect(),
        activity,
        deployments,
        model: super::summary(record),
        permitted: ws.permitted_actions(),
    })
}
