// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::ComputesPage;
use crate::error::AppError;

/// A page of the workspace's compute in name order: searched (name, description, tags) and
/// filtered by kind and state.
#[server(endpoint = "computes/list")]
pub async fn list_computes(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] kind: String,
    #[server(default)] state: String,
    #[server(default)] after: String,
) -> Result<ComputesPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::{ComputeKind, ComputeState};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes::{self, ComputeFilter};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (pool_state, ws, _) =
        authz::caller_workspace(path, Action::ComputesRead, Deleted::Excluded).await?;
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let kind = match kind.trim() {
        "" => None,
        k => Some(ComputeKind::parse(k).map_err(|e| AppError::invalid_field("kind", e))?),
    };
    let state = match state.trim() {
        "" => None,
        s => Some(ComputeState::parse(s).map_err(|e| AppError::invalid_field("state", e))?),
    };
    let filter = ComputeFilter {
        search: text(&search),
        kind,
        state,
        after: text(&after),
        limit: PAGE as i64 + 1,
    };
    let mut rows =
        computes::list(&pool_state.pool, &ws, &filter).await.or_internal("listing compute")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(ComputesPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more { rows.last().map(|c| c.name.to_lowercase()) } else { None },
        computes: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
