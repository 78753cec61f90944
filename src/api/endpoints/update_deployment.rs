// One argument per form field: the no-JavaScript form posts them as they are.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes the model version a deployment serves, its instance type and count; its traffic
/// and state stay.
#[server(endpoint = "endpoints/update_deployment")]
pub async fn update_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    deployment: String,
    model: String,
    model_version: String,
    #[server(default)] instance_type: String,
    #[server(default)] instance_count: String,
) -> Result<(), AppError> {
    use super::{change_error, DeploymentInput};
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::deployments::{self, DeploymentSpec};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsWrite, Deleted::Excluded).await?;
    let input = DeploymentInput {
        model: &model,
        version: &model_version,
        instance_type: &instance_type,
        instance_count: &instance_count,
    };
    let (version, instance_type, instance_count) = input.parse(ws.permits(Action::ModelsRead))?;
    let spec = DeploymentSpec { model: (model.trim(), version), instance_type, instance_count };
    deployments::update(&state.pool, &ws, &actor, (&endpoint, &deployment), &spec)
        .await
        .map_err(change_error)
}
