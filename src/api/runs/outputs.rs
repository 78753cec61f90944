use leptos::prelude::*;

use super::OutputFile;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// The files a run wrote, in path order, with their download links.
#[server(endpoint = "runs/outputs")]
pub async fn run_outputs(
    #[server(flatten)] path: WorkspacePath,
    run: String,
) -> Result<Vec<OutputFile>, AppError> {
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::run_outputs;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
    let record = super::find_run(&state.pool, &ws, &run).await?;
    let outputs =
        run_outputs::list(&state.pool, &ws, record.id).await.or_internal("listing outputs")?;
    Ok(outputs
        .into_iter()
        .map(|o| OutputFile {
            path: o.path,
            size: o.size,
            sha256: o.sha256,
            created_at: o.created_at,
        })
        .collect())
}
