use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Appends metric points (`name step value` or `name value` lines) and log text to a run, and
/// moves its status, in one transaction.
#[server(endpoint = "runs/update")]
pub async fn update_run(
    #[server(flatten)] path: WorkspacePath,
    run: String,
    #[server(default)] metrics: String,
    #[server(default)] log: String,
    #[server(default)] status: String,
) -> Result<(), AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::run::parse_metric_lines;
    use crate::domain::{Invalid, RunStatus};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::run_metrics::{self, RunUpdate};

    const MAX_LOG: usize = 256 * 1024;
    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::RunsWrite, Deleted::Excluded).await?;
    let points =
        parse_metric_lines(&metrics).map_err(|e| AppError::invalid_field(fields::METRICS, e))?;
    if log.len() > MAX_LOG {
        return Err(AppError::invalid_field(
            fields::LOG,
            Invalid::new("Send at most 256 KB of log text at a time."),
        ));
    }
    let status = match status.trim() {
        "" => None,
        s => Some(RunStatus::parse(s).map_err(|e| AppError::invalid_field(fields::STATUS, e))?),
    };
    let update = RunUpdate { points: &points, log: &log, status };
    run_metrics::append(&state.pool, &ws, &actor, run.trim(), &update)
        .await
        .map_err(super::change_error)
}
