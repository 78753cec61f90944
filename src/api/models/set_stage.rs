use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Moves a model version to a stage. Moving one into production archives the version that
/// was there: a model has at most one production version. Returns the archived version.
#[server(endpoint = "models/set_stage")]
pub async fn set_model_stage(
    #[server(flatten)] path: WorkspacePath,
    model: String,
    version: String,
    stage: String,
) -> Result<Option<i64>, AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::model::parse_version;
    use crate::domain::ModelStage;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::model_versions;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ModelsStageWrite, Deleted::Excluded).await?;
    let version =
        parse_version(&version).map_err(|e| AppError::invalid_field(fields::VERSION, e))?;
    let stage = ModelStage::parse(&stage).map_err(|e| AppError::invalid_field(fields::STAGE, e))?;
    model_versions::set_stage(&state.pool, &ws, &actor, (&model, version), stage)
        .await
        .map_err(change_error)
}
