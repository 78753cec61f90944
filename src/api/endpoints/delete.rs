use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes an endpoint with all its deployments, after its name is typed to confirm.
#[server(endpoint = "endpoints/delete")]
pub async fn delete_endpoint(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::endpoints;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(endpoint.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the endpoint's name to confirm."),
        ));
    }
    endpoints::delete(&state.pool, &ws, &actor, &endpoint).await.map_err(change_error)?;
    leptos_axum::redirect(&format!("{}/endpoints", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
