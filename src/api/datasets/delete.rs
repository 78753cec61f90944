use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a data asset with all its versions and uploaded files, after its name is typed to
/// confirm, and goes back to the list.
#[server(endpoint = "datasets/delete")]
pub async fn delete_dataset(
    #[server(flatten)] path: WorkspacePath,
    dataset: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::dataset_files;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatasetsDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(dataset.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the data asset's name to confirm."),
        ));
    }
    dataset_files::delete(&state.pool, &state.settings.data_dir, &ws, &actor, &dataset).await?;
    leptos_axum::redirect(&format!("{}/datasets", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
