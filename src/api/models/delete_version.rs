use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes one version of a model with its files; the model and its other versions stay.
#[server(endpoint = "models/delete_version")]
pub async fn delete_model_version(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    version: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::model::parse_version;
    use crate::server::authz::{self, Deleted};
    use crate::server::model_files;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ModelsDelete, Deleted::Excluded).await?;
    let version =
        parse_version(&version).map_err(|e| AppError::invalid_field(fields::VERSION, e))?;
    let data_dir = &state.settings.data_dir;
    model_files::delete_version(&state.pool, data_dir, &ws, &actor, (&model, version)).await
}
