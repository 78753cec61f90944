// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::EndpointsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's endpoints: searched (name, description, tags), filtered by state
/// and by creation between `since` and `until` (epoch seconds, `until` exclusive), sorted by
/// name or creation and paged by key.
#[server(endpoint = "endpoints/list")]
pub async fn list_endpoints(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] state: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<EndpointsPage, AppError> {
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::endpoint::{EndpointSort, EndpointState};
    use crate::domain::listing::{into_page, search_text, PAGE_READ};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::endpoints::{self, cursor_after, EndpointFilter};
    use crate::server::error::OrInternal;

    let (pool_state, ws, _) =
        authz::caller_workspace(&path, Action::EndpointsRead, Deleted::Excluded).await?;
    let sort = EndpointSort::from_url(&sort);
    let filter = EndpointFilter {
        search: search_text(&search),
        state: optional(&state, "state", EndpointState::parse)?,
        created_since: since,
        created_until: until,
        sort,
        after: page_after(&after, sort.key())?,
        limit: PAGE_READ,
    };
    let rows =
        endpoints::list(&pool_state.pool, &ws, &filter).await.or_internal("listing endpoints")?;
    let (rows, next_after) = into_page(rows, |e| cursor_after(e, sort));
    Ok(EndpointsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        endpoints: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
