use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a deployment. One that still receives traffic is refused unless it is the
/// endpoint's only deployment: its traffic must move first.
#[server(endpoint = "endpoints/delete_deployment")]
pub async fn delete_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    deployment: String,
) -> Result<(), AppError> {
    use super::change_error;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::deployments;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsDelete, Deleted::Excluded).await?;
    deployments::delete(&state.pool, &ws, &actor, (&endpoint, &deployment))
        .await
        .map_err(change_error)
}
