// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::EndpointsPage;
use crate::error::AppError;

/// A page of the workspace's endpoints: searched (name, description, tags), filtered by state
/// and by creation between `since` and `until` (epoch seconds, `until` exclusive), sorted by
/// name or creation and paged by key.
#[server(endpoint = "endpoints/list")]
pub async fn list_endpoints(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] state: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<EndpointsPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::endpoint::{EndpointSort, EndpointState};
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::endpoints::{self, EndpointCursor, EndpointFilter};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (pool_state, ws, _) =
        authz::caller_workspace(path, Action::EndpointsRead, Deleted::Excluded).await?;
    let sort = EndpointSort::from_url(&sort);
    let state = match state.trim() {
        "" => None,
        s => Some(EndpointState::parse(s).map_err(|e| AppError::invalid_field("state", e))?),
    };
    let after = match after.trim() {
        "" => None,
        text => Some(EndpointCursor::decode(text, sort).ok_or_else(|| {
            AppError::invalid_field(
                "after",
                Invalid::new("This page link no longer fits the list; start from the first page."),
            )
        })?),
    };
    let filter = EndpointFilter {
        search: Some(search.trim().to_owned()).filter(|s| !s.is_empty()),
        state,
        created_since: since,
        created_until: until,
        sort,
        after,
        limit: PAGE as i64 + 1,
    };
    let mut rows =
        endpoints::list(&pool_state.pool, &ws, &filter).await.or_internal("listing endpoints")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    let next_after =
        if more { rows.last().map(|e| EndpointCursor::after(e, sort).encode()) } else { None };
    Ok(EndpointsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        endpoints: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
