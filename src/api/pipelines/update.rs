use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes a pipeline's steps, description and tags. Runs already submitted keep the graph
/// they were submitted with.
#[server(endpoint = "pipelines/update")]
pub async fn update_pipeline(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    steps: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields, references};
    use crate::authz::Action;
    use crate::domain::pipeline::PipelineGraph;
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipelines::{self, PipelineFields};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::PipelinesWrite, Deleted::Excluded).await?;
    let mut graph =
        PipelineGraph::parse(&steps).map_err(|e| AppError::invalid_field(fields::STEPS, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    references::check(&state.pool, &ws, &mut graph, false).await?;
    let fields = PipelineFields { description: &description, tags: &tags, graph: &graph };
    pipelines::update(&state.pool, &ws, &actor, &pipeline, &fields).await.map_err(change_error)
}
