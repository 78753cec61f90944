use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a model with all its versions and their files, after its name is typed to confirm, and goes back to
/// the models list.
#[server(endpoint = "models/delete")]
pub async fn delete_model(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::model_files;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ModelsDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(model.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the model's name to confirm."),
        ));
    }
    model_files::delete(&state.pool, &state.settings.data_dir, &ws, &actor, &model).await?;
    leptos_axum::redirect(&format!("{}/models", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
