// One argument per filter keeps the list's URL state flat (a shareable GET form maps onto it);
// the attribute must cover the client function the server macro generates, hence the module.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::RunsPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A page of runs in the workspace, or in one experiment when `experiment` is given: searched
/// (name, id, tags), filtered (status, submitted by me, created between `since` and `until`,
/// epoch seconds), sorted and paged by key.
#[server(endpoint = "runs/list")]
pub async fn list_runs(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] experiment: String,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] submitted_by: String,
    #[server(default)] since: Option<i64>,
    #[server(default)] until: Option<i64>,
    #[server(default)] sort: String,
    #[server(default)] after: String,
) -> Result<RunsPage, AppError> {
    use crate::api::list_args::{after as page_after, optional};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::listing::{into_page, search_text, PAGE_READ};
    use crate::domain::{RunSort, RunStatus};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::runs::{self, cursor_after, RunFilter};
    use crate::server::db::{experiments, run_metrics};
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
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
    let filter = RunFilter {
        experiment_id: experiment.as_ref().map(|e| e.id),
        search: search_text(&search),
        status: optional(&status, "status", RunStatus::parse)?,
        user_id: (submitted_by.trim() == "me").then(|| ws.user_id()),
        created_since: since,
        created_until: until,
        sort,
        after: page_after(&after, sort.key())?,
        limit: PAGE_READ,
    };
    let records = runs::list(&state.pool, &ws, &filter).await.or_internal("listing runs")?;
    let (records, next_after) = into_page(records, |r| cursor_after(r, sort));
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
