// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::PipelinesPage;
use crate::error::AppError;

/// A page of the workspace's pipelines: searched (name, description, tags), filtered by their
/// newest run's status (`never` for those not run yet), sorted and paged by key.
#[server(endpoint = "pipelines/list")]
pub async fn list_pipelines(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] last_run: String,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<PipelinesPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::pipeline::PipelineSort;
    use crate::domain::{Invalid, RunStatus};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipelines::{self, PipelineCursor, PipelineFilter};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::PipelinesRead, Deleted::Excluded).await?;
    let sort = PipelineSort::from_url(sort.trim());
    let last_run = match last_run.trim() {
        "" => None,
        "never" => Some(None),
        s => Some(Some(RunStatus::parse(s).map_err(|e| AppError::invalid_field("last_run", e))?)),
    };
    let after = match after.trim() {
        "" => None,
        text => Some(PipelineCursor::decode(text, sort).ok_or_else(|| {
            AppError::invalid_field(
                "after",
                Invalid::new("This page link no longer fits the list; start from the first page."),
            )
        })?),
    };
    let filter = PipelineFilter {
        search: Some(search.trim().to_owned()).filter(|s| !s.is_empty()),
        last_run,
        sort,
        after,
        limit: PAGE as i64 + 1,
    };
    let mut rows =
        pipelines::list(&state.pool, &ws, &filter).await.or_internal("listing pipelines")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(PipelinesPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more {
            rows.last().map(|p| PipelineCursor::after(p, sort).encode())
        } else {
            None
        },
        pipelines: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
