// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::RunsPage;
use crate::error::AppError;

/// A page of runs in the workspace, or in one experiment when `experiment` is given: searched
/// (name, id, tags), filtered (status, submitted by me, created between `since` and `until`,
/// epoch seconds), sorted and paged by key.
#[server(endpoint = "runs/list")]
pub async fn list_runs(
    organization: String,
    resource_group: String,
    workspace: String,
    #[server(default)] experiment: String,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] submitted_by: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<RunsPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::{Invalid, RunSort, RunStatus};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::runs::{self, RunCursor, RunFilter};
    use crate::server::db::{experiments, run_metrics};
    use crate::server::error::OrInternal;

    const PAGE: usize = 50;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) = authz::caller_workspace(path, Action::RunsRead, Deleted::Excluded).await?;
    let experiment = match experiment.trim() {
        "" => None,
        name => Some(
            experiments::get(&state.pool, &ws, name)
                .await
                .or_internal("reading an experiment")?
                .ok_or_else(AppError::not_found)?,
        ),
    };
    let sort = RunSort::from_url(sort.trim());
    let status = match status.trim() {
        "" => None,
        s => Some(RunStatus::parse(s).map_err(|e| AppError::invalid_field("status", e))?),
    };
    let after = match after.trim() {
        "" => None,
        text => Some(RunCursor::decode(text, sort).ok_or_else(|| {
            AppError::invalid_field(
                "after",
                Invalid::new("This page link no longer fits the list; start from the first page."),
            )
        })?),
    };
    let filter = RunFilter {
        experiment_id: experiment.as_ref().map(|e| e.id),
        search: Some(search.trim().to_owned()).filter(|s| !s.is_empty()),
        status,
        user_id: (submitted_by.trim() == "me").then(|| ws.user_id()),
        created_since: since,
        created_until: until,
        sort,
        after,
        limit: PAGE as i64 + 1,
    };
    let mut records = runs::list(&state.pool, &ws, &filter).await.or_internal("listing runs")?;
    let more = records.len() > PAGE;
    records.truncate(PAGE);
    let next_after =
        if more { records.last().map(|r| RunCursor::after(r, sort).encode()) } else { None };
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let mut summaries =
        run_metrics::summaries(&state.pool, &ws, &ids).await.or_internal("reading metrics")?;
    let rows: Vec<_> = records
        .into_iter()
        .map(|r| {
            let metrics = summaries.remove(&r.id).unwrap_or_default();
            super::row(r, metrics)
        })
        .collect();
    Ok(RunsPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        experiment: experiment.map(crate::api::experiments::summary),
        param_keys: keys_in_order(rows.iter().flat_map(|r| r.params.iter().map(|(k, _)| k))),
        metric_keys: keys_in_order(rows.iter().flat_map(|r| r.metrics.iter().map(|m| &m.key))),
        runs: rows,
        next_after,
        permitted: ws.permitted_actions(),
    })
}

/// Distinct names in first-seen order.
#[cfg(feature = "ssr")]
fn keys_in_order<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for key in keys {
        if !seen.contains(key) {
            seen.push(key.clone());
        }
    }
    seen
}
