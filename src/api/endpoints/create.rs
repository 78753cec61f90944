use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Creates an endpoint (with no deployments yet) and opens it.
#[server(endpoint = "endpoints/create")]
pub async fn create_endpoint(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    #[server(default)] auth_mode: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, endpoint_fields, endpoint_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::EndpointName;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::endpoints;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsWrite, Deleted::Excluded).await?;
    let name =
        EndpointName::parse(&name).map_err(|e| AppError::invalid_field(super::fields::NAME, e))?;
    let (description, tags, auth_mode) = endpoint_fields(&description, &tags, &auth_mode)?;
    let fields = endpoints::EndpointFields { description: &description, tags: &tags, auth_mode };
    endpoints::create(&state.pool, &ws, &actor, &name, &fields).await.map_err(change_error)?;
    leptos_axum::redirect(&endpoint_url(&WorkspaceCrumbs::of(ws.target()), name.as_str()));
    Ok(())
}
