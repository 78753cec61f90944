use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes the description and tags of one version of a data asset (its data stays as
/// registered).
#[server(endpoint = "datasets/update")]
pub async fn update_dataset_version(
    #[server(flatten)] path: WorkspacePath,
    dataset: String,
    version: i64,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::dataset_versions;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatasetsWrite, Deleted::Excluded).await?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    dataset_versions::update(&state.pool, &ws, &actor, (&dataset, version), &description, &tags)
        .await
        .map_err(change_error)
}
