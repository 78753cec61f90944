use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Creates a pipeline from its steps (see `domain::pipeline` for how they are written) and
/// opens it. Every compute target and environment a step names must exist in the workspace.
#[server(endpoint = "pipelines/create")]
pub async fn create_pipeline(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    steps: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields, pipeline_url, references};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::pipeline::{PipelineGraph, PipelineName};
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipelines::{self, PipelineFields};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesWrite, Deleted::Excluded).await?;
    let name = PipelineName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let mut graph =
        PipelineGraph::parse(&steps).map_err(|e| AppError::invalid_field(fields::STEPS, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    references::check(&state.pool, &ws, &mut graph, false).await?;
    let fields = PipelineFields { description: &description, tags: &tags, graph: &graph };
    pipelines::create(&state.pool, &ws, &actor, &name, &fields).await.map_err(change_error)?;
    leptos_axum::redirect(&pipeline_url(&WorkspaceCrumbs::of(ws.target()), name.as_str()));
    Ok(())
}
