use leptos::prelude::*;

use super::ExperimentsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's experiments in name order, optionally searched (name,
/// description, tags).
#[server(endpoint = "experiments/list")]
pub async fn list_experiments(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] after: String,
) -> Result<ExperimentsPage, AppError> {
    use crate::api::list_args::after as page_after;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, Cursor, SortKey, PAGE_READ};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::experiments;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::ExperimentsRead, Deleted::Excluded).await?;
    let search = search_text(&search);
    let after = page_after(&after, SortKey::UniqueName)?;
    let rows = experiments::list(&state.pool, &ws, search.as_deref(), after.as_ref(), PAGE_READ)
        .await
        .or_internal("listing experiments")?;
    let (rows, next_after) = into_page(rows, |e| Cursor::Name(e.name.to_lowercase()));
    Ok(ExperimentsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        experiments: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
