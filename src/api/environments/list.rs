use leptos::prelude::*;

use super::EnvironmentsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Each environment's latest version, 50 at a time in name order, optionally searched (name,
/// image, description, tags).
#[server(endpoint = "environments/list")]
pub async fn list_environments(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] after: String,
) -> Result<EnvironmentsPage, AppError> {
    use crate::api::list_args::after as page_after;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, Cursor, SortKey, PAGE_READ};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::environments;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::EnvironmentsRead, Deleted::Excluded).await?;
    let search = search_text(&search);
    let after = page_after(&after, SortKey::UniqueName)?;
    let rows =
        environments::list_latest(&state.pool, &ws, search.as_deref(), after.as_ref(), PAGE_READ)
            .await
            .or_internal("listing environments")?;
    let (rows, next_after) = into_page(rows, |e| Cursor::Name(e.name.to_lowercase()));
    Ok(EnvironmentsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        environments: rows.into_iter().map(super::version).collect(),
        permitted: ws.permitted_actions(),
    })
}
