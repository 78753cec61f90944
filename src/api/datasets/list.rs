// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::DatasetsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of the workspace's data assets (each with its latest version): searched (name,
/// description, tags), filtered by format and by when the latest version was registered
/// (`since` and `until`, epoch seconds), sorted by name, time or size, paged by key.
#[server(endpoint = "datasets/list")]
pub async fn list_datasets(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
    #[server(default)] format: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<DatasetsPage, AppError> {
    use super::fields;
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::dataset::{DataFormat, DatasetSort};
    use crate::domain::listing::{into_page, search_text, PAGE_READ};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datasets::{self, cursor_after, DatasetFilter};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::DatasetsRead, Deleted::Excluded).await?;
    let sort = DatasetSort::from_url(sort.trim());
    let filter = DatasetFilter {
        search: search_text(&search),
        format: optional(&format, fields::FORMAT, DataFormat::parse)?,
        since,
        until,
        sort,
        after: page_after(&after, sort.key())?,
        limit: PAGE_READ,
    };
    let rows =
        datasets::list(&state.pool, &ws, &filter).await.or_internal("listing data assets")?;
    let (rows, next_after) = into_page(rows, |r| cursor_after(r, sort));
    Ok(DatasetsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after,
        datasets: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
