use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a pipeline and all its runs, after its name is typed to confirm.
#[server(endpoint = "pipelines/delete")]
pub async fn delete_pipeline(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::{change_error, fields, pipelines_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipelines;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(pipeline.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the pipeline's name to confirm."),
        ));
    }
    pipelines::delete(&state.pool, &ws, &actor, &pipeline).await.map_err(change_error)?;
    leptos_axum::redirect(&pipelines_url(&WorkspaceCrumbs::of(ws.target())));
    Ok(())
}
