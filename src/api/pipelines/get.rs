use leptos::prelude::*;

use super::PipelineView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One pipeline: its graph, the compute and environments it names, a page of its runs (newest
/// first, optionally of one status, before run `after`), and its recent activity for those who
/// may read the activity log.
#[server(endpoint = "pipelines/get")]
pub async fn get_pipeline(
    #[server(flatten)] path: WorkspacePath,
    pipeline: String,
    #[server(default)] run_status: String,
    #[server(default)] after: String,
) -> Result<PipelineView, AppError> {
    use super::{references, run_summary};
    use crate::api::item_activity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::RunStatus;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipeline_runs::{self, RunFilter};
    use crate::server::db::pipelines;
    use crate::server::error::OrInternal;

    const RUNS: usize = 20;
    let (state, ws, _) =
        authz::caller_workspace(&path, Action::PipelinesRead, Deleted::Excluded).await?;
    let record = pipelines::get(&state.pool, &ws, &pipeline)
        .await
        .or_internal("reading a pipeline")?
        .ok_or_else(AppError::not_found)?;
    let status = match run_status.trim() {
        "" => None,
        s => Some(RunStatus::parse(s).map_err(|e| AppError::invalid_field("run_status", e))?),
    };
    let before = match after.trim() {
        "" => None,
        n => Some(super::run_number(n)?),
    };
    let filter = RunFilter { status, before, limit: RUNS as i64 + 1 };
    let mut runs = pipeline_runs::list(&state.pool, &ws, record.id, &filter)
        .await
        .or_internal("listing pipeline runs")?;
    let more = runs.len() > RUNS;
    runs.truncate(RUNS);
    let related = references::related(&state.pool, &ws, &record.graph).await?;
    let actions = [Action::PipelinesWrite, Action::PipelinesDelete];
    let activity =
        item_activity::recent(&state.pool, &ws, &actions, &record.name, describe_event).await?;
    Ok(PipelineView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        graph: record.graph.clone(),
        next_runs_after: if more { runs.last().map(|r| r.number.to_string()) } else { None },
        runs: runs.iter().map(run_summary).collect(),
        pipeline: super::summary(record),
        related,
        activity,
        permitted: ws.permitted_actions(),
    })
}

/// An audit event about a pipeline in a few words.
#[cfg(feature = "ssr")]
fn describe_event(action: &str, details: &str) -> String {
    use crate::authz::Action;
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let action = Action::ALL.iter().copied().find(|a| a.as_str().eq_ignore_ascii_case(action));
    let run = details["run"].as_i64();
    match (action, run) {
        (Some(Action::PipelinesWrite), Some(run)) if details["submitted"] == true => {
            format!("Submitted run {run}")
        }
        (Some(Action::PipelinesWrite), Some(run)) if details["canceled"] == true => {
            format!("Canceled run {run}")
        }
        (Some(Action::PipelinesWrite), Some(run)) => format!(
            "Run {run}: step {} {} → {}",
            details["step"].as_str().unwrap_or("?"),
            details["from"].as_str().unwrap_or("?"),
            details["to"].as_str().unwrap_or("?"),
        ),
        (Some(Action::PipelinesWrite), None) if details["created"] == true => {
            format!("Created with {} steps", details["steps"].as_i64().unwrap_or_default())
        }
        (Some(Action::PipelinesWrite), None) => {
            format!("Changed; {} steps", details["steps"].as_i64().unwrap_or_default())
        }
        (Some(Action::PipelinesDelete), _) => "Deleted".to_owned(),
        (Some(other), _) => other.description().to_owned(),
        (None, _) => "Changed".to_owned(),
    }
}
