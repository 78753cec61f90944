//! The runs table shared by an experiment's page and the workspace's runs page: a filter form
//! (a GET form, so every view is a link that can be shared), chosen parameter and metric
//! columns, key-based paging, and check boxes to compare runs.

use crate::domain::WorkspacePath;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::runs::{list_runs, run_url, RunRow, RunsPage};
use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::{RunSort, RunStatus};
use crate::error::AppError;
use crate::ui::format::{date_time, duration, epoch_from_date, query_value};
use crate::ui::list_page::{choices, EnumSelect};
use crate::ui::metric_chart::format_value;

/// The list's state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunQuery {
    pub search: String,
    pub status: String,
    pub mine: bool,
    pub since: String,
    pub until: String,
    pub sort: String,
    pub after: String,
    /// Chosen columns: `p:name` for a parameter, `m:name` for a metric.
    pub columns: Vec<String>,
}

impl RunQuery {
    /// Reads the list's state from the page's URL, following it as it changes.
    pub fn from_url() -> Memo<RunQuery> {
        let query = use_query_map();
        Memo::new(move |_| {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            RunQuery {
                search: get("q"),
                status: get("status"),
                mine: get("submitted_by") == "me",
                since: get("since"),
                until: get("until"),
                sort: get("sort"),
                after: get("after"),
                columns: q.get_all("col").unwrap_or_default(),
            }
        })
    }

    /// Created since/until as epoch seconds; `until` includes its whole day.
    pub fn time_range(&self) -> (Option<i64>, Option<i64>) {
        (epoch_from_date(&self.since), epoch_from_date(&self.until).map(|t| t + 86_400))
    }

    pub fn submitted_by(&self) -> String {
        if self.mine {
            "me".to_owned()
        } else {
            String::new()
        }
    }

    /// The query string for this state, starting after `after` when given.
    fn link(&self, after: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("q", self.search.clone()),
            ("status", self.status.clone()),
            ("submitted_by", self.submitted_by()),
            ("since", self.since.clone()),
            ("until", self.until.clone()),
            ("sort", self.sort.clone()),
            ("after", after.unwrap_or_default().to_owned()),
        ];
        pairs.extend(self.columns.iter().map(|c| ("col", c.clone())));
        let query: Vec<String> = pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", query_value(&v)))
            .collect();
        format!("?{}", query.join("&"))
    }
}

/// One page of runs in `experiment` (empty: the whole workspace) as `query` describes it.
pub async fn fetch_runs(
    path: WorkspacePath,
    experiment: String,
    q: RunQuery,
) -> Result<RunsPage, AppError> {
    let (since, until) = q.time_range();
    let submitted_by = q.submitted_by();
    list_runs(path, experiment, q.search, q.status, submitted_by, since, until, q.sort, q.after)
        .await
}

#[component]
pub fn RunFilterForm(query: RunQuery, clear_url: String) -> impl IntoView {
    let sort = RunSort::from_url(&query.sort);
    view! {
        <form method="get" class="filter-form panel" aria-label="Filter runs">
            <label>"Search" <input name="q" type="search" value=query.search.clone() placeholder="Name, id or tag"/></label>
            <EnumSelect label="Status" name="status" selected=query.status.clone() any=true choices=choices(&RunStatus::ALL, RunStatus::as_str, RunStatus::label)/>
            <label class="inline-check">
                <input type="checkbox" name="submitted_by" value="me" checked=query.mine/>
                "Submitted by me"
            </label>
            <label>"Created from" <input name="since" type="date" value=query.since.clone()/></label>
            <label>"until" <input name="until" type="date" value=query.until.clone()/></label>
            <EnumSelect label="Sort" name="sort" selected=sort.as_str().to_owned() choices=choices(&RunSort::ALL, RunSort::as_str, RunSort::label)/>
            {query.columns.iter().map(|c| view! { <input type="hidden" name="col" value=c.clone()/> }).collect_view()}
            <button type="submit">"Apply"</button>
            <a href=clear_url>"Clear"</a>
        </form>
    }
}

/// Which columns to show: the chosen ones, or the first few of each kind on the page.
fn shown_columns(page: &RunsPage, chosen: &[String]) -> (Vec<String>, Vec<String>) {
    let pick = |prefix: &str, keys: &[String]| -> Vec<String> {
        let picked: Vec<String> =
            chosen.iter().filter_map(|c| c.strip_prefix(prefix)).map(str::to_owned).collect();
        if chosen.is_empty() {
            keys.iter().take(3).cloned().collect()
        } else {
            picked
        }
    };
    (pick("p:", &page.param_keys), pick("m:", &page.metric_keys))
}

#[component]
pub fn RunsTable(
    page: RunsPage,
    query: RunQuery,
    /// Whether to show each run's experiment (the workspace-wide list).
    #[prop(optional)]
    show_experiment: bool,
) -> impl IntoView {
    if page.runs.is_empty() {
        let message = if query == RunQuery::default() {
            "No runs yet."
        } else {
            "No runs match these filters."
        };
        return view! { <p class="muted">{message}</p> }.into_any();
    }
    let (params, metrics) = shown_columns(&page, &query.columns);
    let ws = page.workspace.clone();
    let compare_url = format!("{}/runs/compare", ws.url());
    let next = page.next_after.as_deref().map(|after| {
        view! { <a class="button" href=query.link(Some(after))>"Next page"</a> }
    });
    let first = (!query.after.is_empty())
        .then(|| view! { <a class="button" href=query.link(None)>"First page"</a> });
    let header_params = params
        .iter()
        .map(|p| view! { <th scope="col" class="param">{p.clone()}</th> })
        .collect_view();
    let header_metrics = metrics
        .iter()
        .map(|m| view! { <th scope="col" class="metric">{m.clone()}</th> })
        .collect_view();
    let rows = page
        .runs
        .iter()
        .map(|run| view! { <RunTableRow run=run.clone() ws=ws.clone() params=params.clone() metrics=metrics.clone() show_experiment/> })
        .collect_view();
    view! {
        <ColumnChooser page=page.clone() query=query.clone() params=params.clone() metrics=metrics.clone()/>
        <form method="get" action=compare_url class="runs-form">
            <div class="table-scroll">
                <table class="table runs">
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">"Select"</span></th>
                            <th scope="col">"Run"</th>
                            {show_experiment.then(|| view! { <th scope="col">"Experiment"</th> })}
                            <th scope="col">"Status"</th>
                            <th scope="col">"Submitted by"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Duration"</th>
                            {header_params}
                            {header_metrics}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="actions">
                <button type="submit">"Compare selected runs"</button>
                {first}
                {next}
            </p>
        </form>
    }
    .into_any()
}

#[component]
fn RunTableRow(
    run: RunRow,
    ws: WorkspaceCrumbs,
    params: Vec<String>,
    metrics: Vec<String>,
    show_experiment: bool,
) -> impl IntoView {
    let url = run_url(&ws, &run.name);
    let experiment_url = format!("{}/experiments/{}", ws.url(), run.experiment);
    let param_cells = params
        .iter()
        .map(|p| view! { <td class="param">{run.param(p).unwrap_or("—").to_owned()}</td> })
        .collect_view();
    let metric_cells = metrics
        .iter()
        .map(|m| {
            let value = run.metric(m).map(|v| format_value(v.last)).unwrap_or_else(|| "—".into());
            view! { <td class="metric">{value}</td> }
        })
        .collect_view();
    let label = format!("Select {}", run.display_name);
    view! {
        <tr>
            <td><input type="checkbox" name="run" value=run.name.clone() aria-label=label/></td>
            <td><a href=url>{run.display_name.clone()}</a> <br/> <code class="muted small">{run.name.clone()}</code></td>
            {show_experiment.then(|| view! { <td><a href=experiment_url>{run.experiment.clone()}</a></td> })}
            <td><StatusBadge status=run.status/></td>
            <td>{run.user_name.clone()}</td>
            <td>{date_time(run.created_at)}</td>
            <td>{run.duration.map(duration).unwrap_or_else(|| "—".into())}</td>
            {param_cells}
            {metric_cells}
        </tr>
    }
}

/// Check boxes for the parameter and metric columns, keeping the filters.
#[component]
fn ColumnChooser(
    page: RunsPage,
    query: RunQuery,
    params: Vec<String>,
    metrics: Vec<String>,
) -> impl IntoView {
    if page.param_keys.is_empty() && page.metric_keys.is_empty() {
        return ().into_any();
    }
    let keep = [
        ("q", query.search.clone()),
        ("status", query.status.clone()),
        ("submitted_by", query.submitted_by()),
        ("since", query.since.clone()),
        ("until", query.until.clone()),
        ("sort", query.sort.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
    .collect_view();
    let boxes = |prefix: &'static str, keys: &[String], shown: &[String]| {
        keys.iter()
            .map(|key| {
                let value = format!("{prefix}{key}");
                view! {
                    <label class="inline-check">
                        <input type="checkbox" name="col" value=value checked=shown.contains(key)/>
                        {key.clone()}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <details class="column-chooser">
            <summary>"Columns"</summary>
            <form method="get">
                {keep}
                <fieldset>
                    <legend>"Parameters"</legend>
                    {boxes("p:", &page.param_keys, &params)}
                </fieldset>
                <fieldset>
                    <legend>"Metrics (latest value)"</legend>
                    {boxes("m:", &page.metric_keys, &metrics)}
                </fieldset>
                <button type="submit">"Show columns"</button>
            </form>
        </details>
    }
    .into_any()
}

#[component]
pub fn StatusBadge(status: RunStatus) -> impl IntoView {
    view! { <span class=format!("status status-{}", status.as_str())>{status.label()}</span> }
}
