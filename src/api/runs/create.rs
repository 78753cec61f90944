use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Submits a run to an experiment (the tracking API of a later issue does the same for
/// scripts) and opens it.
#[server(endpoint = "runs/create")]
pub async fn create_run(
    #[server(flatten)] path: WorkspacePath,
    experiment: String,
    #[server(default)] display_name: String,
    #[server(default)] entry_point: String,
    #[server(default)] params: String,
    #[server(default)] tags: String,
    #[server(default)] status: String,
) -> Result<(), AppError> {
    use super::{fields, run_url};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::run::{parse_entry_point, parse_run_display_name};
    use crate::domain::{Params, RunStatus, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::runs::{self, ChangeError, NewRun};
    use crate::server::error::OrInternal;
    use crate::server::run_names::new_run_names;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::RunsSubmit, Deleted::Excluded).await?;
    let display_name = parse_run_display_name(&display_name)
        .map_err(|e| AppError::invalid_field(fields::DISPLAY_NAME, e))?;
    let entry_point = parse_entry_point(&entry_point)
        .map_err(|e| AppError::invalid_field(fields::ENTRY_POINT, e))?;
    let params = Params::parse(&params).map_err(|e| AppError::invalid_field(fields::PARAMS, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let status = match status.trim() {
        "" => RunStatus::Queued,
        s => RunStatus::parse(s).map_err(|e| AppError::invalid_field(fields::STATUS, e))?,
    };
    let (name, generated) = new_run_names().or_internal("naming a run")?;
    let new = NewRun {
        experiment: experiment.trim(),
        name,
        display_name: display_name.unwrap_or(generated),
        status,
        entry_point,
        params: &params,
        tags: &tags,
    };
    runs::create(&state.pool, &ws, &actor, &new).await.map_err(|e| match e {
        ChangeError::NotFound => AppError::invalid_field(
            fields::EXPERIMENT,
            crate::domain::Invalid::new("Choose one of the workspace's experiments."),
        ),
        e => super::change_error(e),
    })?;
    leptos_axum::redirect(&run_url(&WorkspaceCrumbs::of(ws.target()), &new.name));
    Ok(())
}
