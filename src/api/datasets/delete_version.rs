use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes one version of a data asset with its uploaded file (the asset goes with its last
/// version) and opens the asset, or the list when the asset is gone.
#[server(endpoint = "datasets/delete_version")]
pub async fn delete_dataset_version(
    #[server(flatten)] path: WorkspacePath,
    dataset: String,
    version: i64,
) -> Result<(), AppError> {
    use super::dataset_url;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::dataset_files;
    use crate::server::db::datasets;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatasetsDelete, Deleted::Excluded).await?;
    let data_dir = &state.settings.data_dir;
    dataset_files::delete_version(&state.pool, data_dir, &ws, &actor, &dataset, version).await?;
    let crumbs = WorkspaceCrumbs::of(ws.target());
    let remaining =
        datasets::get(&state.pool, &ws, &dataset).await.or_internal("reading a data asset")?;
    match remaining {
        Some(asset) => leptos_axum::redirect(&dataset_url(&crumbs, &asset.name)),
        None => leptos_axum::redirect(&format!("{}/datasets", crumbs.url())),
    }
    Ok(())
}
