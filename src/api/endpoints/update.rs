use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes an endpoint's description, tags and how its callers authenticate.
#[server(endpoint = "endpoints/update")]
pub async fn update_endpoint(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    #[server(default)] auth_mode: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, endpoint_fields};
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::endpoints;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsWrite, Deleted::Excluded).await?;
    let (description, tags, auth_mode) = endpoint_fields(&description, &tags, &auth_mode)?;
    let fields = endpoints::EndpointFields { description: &description, tags: &tags, auth_mode };
    endpoints::update(&state.pool, &ws, &actor, &endpoint, &fields).await.map_err(change_error)
}
