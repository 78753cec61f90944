use leptos::prelude::*;

use super::MetricSeries;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Every metric of the given runs (ids separated by commas, at most ten) as series thinned to
/// at most 600 points each: for a run's charts and for overlaying runs being compared.
#[server(endpoint = "runs/series")]
pub async fn run_series(
    #[server(flatten)] path: WorkspacePath,
    runs: String,
) -> Result<Vec<MetricSeries>, AppError> {
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::{run_metrics, runs as run_records};
    use crate::server::error::OrInternal;

    const POINTS: usize = 600;
    let (state, ws, _) =
        authz::caller_workspace(&path, Action::RunsRead, Deleted::Excluded).await?;
    let names: Vec<String> =
        runs.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if names.len() > super::MAX_COMPARED {
        return Err(AppError::invalid_field(
            "runs",
            Invalid::new("Compare at most 10 runs at a time."),
        ));
    }
    // A run's own page charts that run, which it has read already.
    let records = match names.as_slice() {
        [name] => super::find_run_if_any(&state.pool, &ws, name).await?.into_iter().collect(),
        names => {
            run_records::by_names(&state.pool, &ws, names).await.or_internal("reading runs")?
        }
    };
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let points = run_metrics::series_of_runs(&state.pool, &ws, &ids, POINTS)
        .await
        .or_internal("reading metrics")?;
    // In the order the runs were found (then by metric name), as before the single query.
    let mut series: Vec<(usize, MetricSeries)> = points
        .into_iter()
        .filter_map(|(run_id, key, points)| {
            let (at, record) = records.iter().enumerate().find(|(_, r)| r.id == run_id)?;
            let run = record.name.clone();
            let run_display_name = record.display_name.clone();
            Some((at, MetricSeries { run, run_display_name, key, points }))
        })
        .collect();
    series.sort_by_key(|(at, _)| *at);
    let series: Vec<MetricSeries> = series.into_iter().map(|(_, s)| s).collect();
    Ok(series)
}
