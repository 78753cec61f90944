// One argument per form field: the no-JavaScript form posts them as they are.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Adds a deployment to an endpoint, serving a registered model version of the workspace. The
/// endpoint's first running deployment takes all the traffic; later ones join with none.
#[server(endpoint = "endpoints/create_deployment")]
pub async fn create_deployment(
    #[server(flatten)] path: WorkspacePath,
    endpoint: String,
    name: String,
    model: String,
    model_version: String,
    #[server(default)] instance_type: String,
    #[server(default)] instance_count: String,
) -> Result<(), AppError> {
    use super::{change_error, fields, DeploymentInput};
    use crate::authz::Action;
    use crate::domain::DeploymentName;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::deployments::{self, DeploymentSpec};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EndpointsWrite, Deleted::Excluded).await?;
    let name =
        DeploymentName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let input = DeploymentInput {
        model: &model,
        version: &model_version,
        instance_type: &instance_type,
        instance_count: &instance_count,
    };
    let (version, instance_type, instance_count) = input.parse(ws.permits(Action::ModelsRead))?;
    let spec = DeploymentSpec { model: (model.trim(), version), instance_type, instance_count };
    deployments::create(&state.pool, &ws, &actor, &endpoint, &name, &spec)
        .await
        .map_err(change_error)?;
    Ok(())
}
