use leptos::prelude::*;

use super::LogsView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// The run's log after chunk `after` (0 for the start), and its status, so a page can follow
/// a running run.
#[server(endpoint = "runs/logs")]
pub async fn run_logs(
    #[server(flatten)] path: WorkspacePath,
    run: String,
    #[server(default)] after: i64,
) -> Result<LogsView, AppError> {
    use super::LogChunkView;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::run_logs;
    use crate::server::error::OrInternal;

    const CHUNKS: i64 = 500;
    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
    let record = super::find_run(&state.pool, &ws, &run).await?;
    let chunks = run_logs::read(&state.pool, &ws, record.id, after.max(0), CHUNKS)
        .await
        .or_internal("reading a run's log")?;
    Ok(LogsView {
        chunks: chunks
            .into_iter()
            .map(|c| LogChunkView { seq: c.seq, body: c.body, at: c.created_at })
            .collect(),
        status: record.status,
    })
}
