use leptos::prelude::*;

use super::DatasetView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A data asset with its versions (newest first) and, for those who may read the activity
/// log, its latest events.
#[server(endpoint = "datasets/get")]
pub async fn get_dataset(
    #[server(flatten)] path: WorkspacePath,
    dataset: String,
) -> Result<DatasetView, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{dataset_versions, datasets};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::DatasetsRead, Deleted::Excluded).await?;
    let record = datasets::get(&state.pool, &ws, &dataset)
        .await
        .or_internal("reading a data asset")?
        .ok_or_else(AppError::not_found)?;
    let versions = dataset_versions::for_dataset(&state.pool, &ws, record.id)
        .await
        .or_internal("reading data asset versions")?;
    let actions = [Action::DatasetsWrite, Action::DatasetsDelete];
    let activity = crate::api::item_activity::recent(
        &state.pool,
        &ws,
        &actions,
        &record.name,
        super::describe_event,
    )
    .await?;
    Ok(DatasetView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        versions: versions.into_iter().map(super::version_view).collect(),
        activity,
        dataset: super::summary(record),
        permitted: ws.permitted_actions(),
    })
}
