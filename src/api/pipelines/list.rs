// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::PipelinesPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's pipelines: searched (name, description, tags), filtered by their
/// newest run's status (`never` for those not run yet), sorted and paged by key.
#[server(endpoint = "pipelines/list")]
pub async fn list_pipelines(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] last_run: String,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<PipelinesPage, AppError> {
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, PAGE_READ};
    use crate::domain::pipeline::PipelineSort;
    use crate::domain::RunStatus;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::pipelines::{self, cursor_after, PipelineFilter};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::PipelinesRead, Deleted::Excluded).await?;
    let sort = PipelineSort::from_url(sort.trim());
    // "never" is a filter of its own: pipelines that have not run yet.
    let last_run = optional(&last_run, "last_run", |s| match s {
        "never" => Ok(None),
        s => RunStatus::parse(s).map(Some),
    })?;
    let filter = PipelineFilter {
        search: search_text(&search),
        last_run,
        sort,
        after: page_after(&after, sort.key())?,
        limit: PAGE_READ,
    };
    let rows = pipelines::list(&state.pool, &ws, &filter).await.or_internal("listing pipelines")?;
    let (rows, next_after) = into_page(rows, |p| cursor_after(p, sort));
    Ok(PipelinesPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        pipelines: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
