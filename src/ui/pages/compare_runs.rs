//! Runs side by side: parameters (differences marked, or only the differences), metrics, and
//! each metric's curves overlaid.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::run::Charts;
use crate::api::runs::{get_run, run_series, run_url, MetricSeries, RunRow, RunView, MAX_COMPARED};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::error::{AppError, ErrorKind};
use crate::ui::error_view::loaded;
use crate::ui::metric_chart::{format_value, ChartLine};
use crate::ui::workspace_frame::{workspace_params, WorkspaceTrail};

type Compared = (Vec<RunView>, Vec<MetricSeries>);

#[component]
pub fn CompareRunsPage() -> impl IntoView {
    let path = workspace_params();
    let query = use_query_map();
    let runs = Memo::new(move |_| query.read().get_all("run").unwrap_or_default());
    let data = Resource::new(
        move || (path(), runs.get()),
        |(path, runs)| async move {
            if runs.len() < 2 || runs.len() > MAX_COMPARED {
                return Err(AppError::new(
                    ErrorKind::Invalid,
                    "Select between 2 and 10 runs to compare.",
                ));
            }
            let mut views = Vec::with_capacity(runs.len());
            for run in &runs {
                views.push(get_run(path.clone(), run.clone()).await?);
            }
            let series = run_series(path, runs.join(",")).await?;
            Ok::<Compared, AppError>((views, series))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                loaded(data.await, |(views, series)| view! { <Compare views series/> })
            })}
        </Suspense>
    }
}

/// Every key of `pairs_of` over the runs, in first-seen order.
fn union_keys<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for key in keys {
        if !all.contains(key) {
            all.push(key.clone());
        }
    }
    all
}

#[component]
fn Compare(views: Vec<RunView>, series: Vec<MetricSeries>) -> impl IntoView {
    let ws: WorkspaceCrumbs = views[0].workspace.clone();
    let runs: Vec<RunRow> = views.into_iter().map(|v| v.run).collect();
    let param_keys = union_keys(runs.iter().flat_map(|r| r.params.iter().map(|(k, _)| k)));
    let metric_keys = union_keys(runs.iter().flat_map(|r| r.metrics.iter().map(|m| &m.key)));
    let heads = runs
        .iter()
        .map(|r| view! { <th scope="col"><a href=run_url(&ws, &r.name)>{r.display_name.clone()}</a></th> })
        .collect_view();
    let param_rows = param_keys
        .iter()
        .map(|key| {
            let values: Vec<String> =
                runs.iter().map(|r| r.param(key).unwrap_or("—").to_owned()).collect();
            let differs = values.iter().any(|v| v != &values[0]);
            view! {
                <tr class:differs=differs>
                    <th scope="row">{key.clone()}</th>
                    {values.into_iter().map(|v| view! { <td><code>{v}</code></td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let metric_rows = metric_keys
        .iter()
        .map(|key| {
            let cells = runs
                .iter()
                .map(|r| {
                    let text =
                        r.metric(key).map(|m| format_value(m.last)).unwrap_or_else(|| "—".into());
                    view! { <td class="number">{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{key.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let charts: Vec<(String, Vec<ChartLine>)> = metric_keys
        .iter()
        .map(|key| {
            let lines = runs
                .iter()
                .filter_map(|r| {
                    let s = series.iter().find(|s| s.run == r.name && &s.key == key)?;
                    Some(ChartLine { label: r.display_name.clone(), points: s.points.clone() })
                })
                .collect();
            (key.clone(), lines)
        })
        .collect();
    let count = runs.len();
    view! {
        <Title text="Compare runs"/>
        <WorkspaceTrail crumbs=ws.clone() trail=vec![("Runs".into(), Some(format!("{}/runs", ws.url()))), ("Compare".into(), None)]/>
            <h1>{format!("Comparing {count} runs")}</h1>
            <section class="panel">
                <div class="section-heading">
                    <h2>"Parameters"</h2>
                    // Hides the rows that agree by style alone (`main.css`), script or not.
                    <label class="inline-check">
                        <input type="checkbox" class="only-differences"/>
                        "Only differences"
                    </label>
                </div>
                <div class="table-scroll">
                    <table class="table compare">
                        <thead><tr><th scope="col">"Parameter"</th>{heads.clone()}</tr></thead>
                        <tbody>{param_rows}</tbody>
                    </table>
                </div>
            </section>
            <section class="panel">
                <h2>"Metrics (latest value)"</h2>
                <div class="table-scroll">
                    <table class="table compare">
                        <thead><tr><th scope="col">"Metric"</th>{heads}</tr></thead>
                        <tbody>{metric_rows}</tbody>
                    </table>
                </div>
            </section>
            <Charts charts/>
    }
    .into_any()
}
