use leptos::prelude::*;

use super::VersionPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One version of a data asset, with the first rows of its CSV, JSON lines or Parquet file when
/// the server holds it (uploaded, or in a local datastore), or why they cannot be shown.
#[server(endpoint = "datasets/version")]
pub async fn get_dataset_version(
    #[server(flatten)] path: WorkspacePath,
    dataset: String,
    version: i64,
) -> Result<VersionPage, AppError> {
    use super::Preview;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{dataset_versions, datasets};
    use crate::server::error::OrInternal;
    use crate::server::{dataset_files, preview};

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::DatasetsRead, Deleted::Excluded).await?;
    let (name, record) = dataset_versions::find(&state.pool, &ws, &dataset, version)
        .await
        .or_internal("reading a data asset version")?
        .ok_or_else(AppError::not_found)?;
    let file = dataset_files::data_file(&state.pool, &state.settings.data_dir, &ws, &name, &record)
        .await?;
    let preview = match file {
        Some(file) if record.format.previewable() => {
            match preview::preview(&file, record.format).await {
                Ok(table) => Preview::Table(table),
                Err(why) => Preview::Unavailable(why),
            }
        }
        _ => Preview::None,
    };
    let asset = datasets::get(&state.pool, &ws, &name)
        .await
        .or_internal("reading a data asset")?
        .ok_or_else(AppError::not_found)?;
    let other_versions = dataset_versions::for_dataset(&state.pool, &ws, asset.id)
        .await
        .or_internal("reading data asset versions")?
        .into_iter()
        .map(|v| v.version)
        .filter(|v| *v != version)
        .collect();
    Ok(VersionPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        name,
        version: super::version_view(record),
        other_versions,
        preview,
        permitted: ws.permitted_actions(),
    })
}
