// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::ComputesPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's compute in name order: searched (name, description, tags) and
/// filtered by kind and state.
#[server(endpoint = "computes/list")]
pub async fn list_computes(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] kind: String,
    #[server(default)] state: String,
    #[server(default)] after: String,
) -> Result<ComputesPage, AppError> {
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, Cursor, SortKey, PAGE_READ};
    use crate::domain::{ComputeKind, ComputeState};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes::{self, ComputeFilter};
    use crate::server::error::OrInternal;

    let (pool_state, ws, _) =
        authz::caller_workspace(&path, Action::ComputesRead, Deleted::Excluded).await?;
    let filter = ComputeFilter {
        search: search_text(&search),
        kind: optional(&kind, "kind", ComputeKind::parse)?,
        state: optional(&state, "state", ComputeState::parse)?,
        after: page_after(&after, SortKey::UniqueName)?,
        limit: PAGE_READ,
    };
    let rows =
        computes::list(&pool_state.pool, &ws, &filter).await.or_internal("listing compute")?;
    let (rows, next_after) = into_page(rows, |c| Cursor::Name(c.name.to_lowercase()));
    Ok(ComputesPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        computes: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
