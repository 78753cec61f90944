// One argument per form field: the register forms post straight to this function.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Registers a new version of a model (creating the model when the name is new) and opens the
/// model. `source_run` is the id of a run in the same workspace, or empty. The version's files
/// are copied from that run's outputs (`artifact_path`: a file, or a folder whose files keep
/// their paths below it) or uploaded (base64 `content`, at most 8 MB, named `file_name`), or
/// it has none. For an existing model, a non-empty `description` or `tags` replaces the
/// model's. Returns the version.
#[server(endpoint = "models/register")]
pub async fn register_model(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
    #[server(default)] source_run: String,
    #[server(default)] framework: String,
    #[server(default)] version_description: String,
    #[server(default)] artifact_path: String,
    #[server(default)] file_name: String,
    #[server(default)] content: String,
) -> Result<i64, AppError> {
    use super::{change_error, fields, model_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::{Description, Framework, ModelName, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::model_versions::NewVersion;
    use crate::server::db::models::ChangeError;
    use crate::server::model_files::{self, Artifact};

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ModelsWrite, Deleted::Excluded).await?;
    let name = ModelName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let framework =
        Framework::parse(&framework).map_err(|e| AppError::invalid_field(fields::FRAMEWORK, e))?;
    let version_description = Description::parse(&version_description)
        .map_err(|e| AppError::invalid_field(fields::VERSION_DESCRIPTION, e))?;
    let source_run = Some(source_run.trim()).filter(|s| !s.is_empty());
    // Linking a run tells whether it exists: only for those who may see runs.
    if source_run.is_some() && !ws.permits(Action::RunsRead) {
        return Err(change_error(ChangeError::RunNotFound));
    }
    let upload = super::artifact::upload(&file_name, &content)?;
    let artifact_path = super::artifact::run_path(&artifact_path, source_run, upload.is_some())?;
    let artifact = match (&artifact_path, &upload) {
        (Some(path), _) => Artifact::RunOutputs(path),
        (None, Some((file_name, bytes))) => Artifact::Upload { file_name, bytes },
        (None, None) => Artifact::None,
    };
    let new = NewVersion {
        model: &name,
        model_description: &description,
        model_tags: &tags,
        source_run,
        framework: &framework,
        description: &version_description,
        artifact: artifact_path
            .as_ref()
            .map(|p| p.as_str())
            .or(upload.as_ref().map(|(name, _)| name.as_str())),
        logged_model: None,
    };
    let data_dir = &state.settings.data_dir;
    let registered =
        model_files::register(&state.pool, data_dir, &ws, &actor, &new, artifact).await?;
    leptos_axum::redirect(&model_url(&WorkspaceCrumbs::of(ws.target()), &registered.name));
    Ok(registered.version)
}
