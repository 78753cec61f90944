// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::DatasetsPage;
use crate::error::AppError;

/// A page of the workspace's data assets (each with its latest version): searched (name,
/// description, tags), filtered by format and by when the latest version was registered
/// (`since` and `until`, epoch seconds), sorted by name, time or size, paged by key.
#[server(endpoint = "datasets/list")]
pub async fn list_datasets(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] search: String,
    #[server(default)] format: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<DatasetsPage, AppError> {
    use super::fields;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::dataset::{DataFormat, DatasetSort};
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datasets::{self, DatasetCursor, DatasetFilter};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::DatasetsRead, Deleted::Excluded).await?;
    let sort = DatasetSort::from_url(sort.trim());
    let format = match format.trim() {
        "" => None,
        f => Some(DataFormat::parse(f).map_err(|e| AppError::invalid_field(fields::FORMAT, e))?),
    };
    let after = match after.trim() {
        "" => None,
        text => Some(DatasetCursor::decode(text, sort).ok_or_else(|| {
            AppError::invalid_field(
                "after",
                Invalid::new("This page link no longer fits the list; start from the first page."),
            )
        })?),
    };
    let search = Some(search.trim().to_owned()).filter(|s| !s.is_empty());
    let filter =
        DatasetFilter { search, format, since, until, sort, after, limit: PAGE as i64 + 1 };
    let mut rows =
        datasets::list(&state.pool, &ws, &filter).await.or_internal("listing data assets")?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(DatasetsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        next_after: if more {
            rows.last().map(|r| DatasetCursor::after(r, sort).encode())
        } else {
            None
        },
        datasets: rows.into_iter().map(super::summary).collect(),
        permitted: ws.permitted_actions(),
    })
}
