use leptos::prelude::*;

use super::ExperimentsPage;
use crate::error::AppError;

/// A page of the workspace's experiments in name order, optionally searched (name,
/// description, tags).
#[server(endpoint = "experiments/list")]
pub async fn list_experiments(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] after: String,
) -> Result<ExperimentsPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::experiments;
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::ExperimentsRead, Deleted::Excluded).await?;
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    let after = Some(after.trim()).filter(|s| !s.is_empty());
    let mut rows = experiments::list(&state.pool, &ws, search, after, PAGE as i64 + 1)
        .await
        .or_internal("listing experiments")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(ExperimentsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more { rows.last().map(|e| e.name.to_lowercase()) } else { None },
        experiments: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
