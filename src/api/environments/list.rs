use leptos::prelude::*;

use super::EnvironmentsPage;
use crate::error::AppError;

/// Each environment's latest version, 50 at a time in name order, optionally searched (name,
/// image, description, tags).
#[server(endpoint = "environments/list")]
pub async fn list_environments(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] after: String,
) -> Result<EnvironmentsPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::environments;
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::EnvironmentsRead, Deleted::Excluded).await?;
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    let after = Some(after.trim()).filter(|s| !s.is_empty());
    let mut rows = environments::list_latest(&state.pool, &ws, search, after, PAGE as i64 + 1)
        .await
        .or_internal("listing environments")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(EnvironmentsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more { rows.last().map(|e| e.name.to_lowercase()) } else { None },
        environments: rows.into_iter().map(super::version).collect(),
        permitted: ws.permitted_actions(),
    })
}
