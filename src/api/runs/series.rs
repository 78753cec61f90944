use leptos::prelude::*;

use super::MetricSeries;
use crate::error::AppError;

/// Every metric of the given runs (ids separated by commas, at most ten) as series thinned to
/// at most 600 points each: for a run's charts and for overlaying runs being compared.
#[server(endpoint = "runs/series")]
pub async fn run_series(
    organization: String,
    resource_group: String,
    workspace: String,
    runs: String,
) -> Result<Vec<MetricSeries>, AppError> {
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{run_metrics, runs as run_records};
    use crate::server::error::OrInternal;

    const POINTS: usize = 600;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) = authz::caller_workspace(path, Action::RunsRead, Deleted::Excluded).await?;
    let names: Vec<String> =
        runs.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if names.len() > super::MAX_COMPARED {
        return Err(AppError::invalid_field(
            "runs",
            Invalid::new("Compare at most 10 runs at a time."),
        ));
    }
    let records =
        run_records::by_names(&state.pool, &ws, &names).await.or_internal("reading runs")?;
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let summaries =
        run_metrics::summaries(&state.pool, &ws, &ids).await.or_internal("reading metrics")?;
    let mut series = Vec::new();
    for record in &records {
        for summary in summaries.get(&record.id).into_iter().flatten() {
            let points = run_metrics::series(&state.pool, &ws, record.id, &summary.key, POINTS)
                .await
                .or_internal("reading a metric")?;
            series.push(MetricSeries {
                run: record.name.clone(),
                run_display_name: record.display_name.clone(),
                key: summary.key.clone(),
                points,
            });
        }
    }
    Ok(series)
}
