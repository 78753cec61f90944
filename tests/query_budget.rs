//! How many database statements a page view and a list cost, counted from sqlx's own statement
//! events (every statement on either backend, including the session store's), so that growth is
//! caught where it happens. A test binary of its own: the counter is the process's, and nothing
//! else runs in this process while a request is counted. Budgets are counts, never times.
//!
//! Each request is counted three times and the smallest count kept: the server's background
//! housekeeping runs at start and then hourly, and must not be charged to a page.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[path = "api/test_databases.rs"]
mod test_databases;

use std::sync::{Arc, Mutex, OnceLock};

use reqwest::{Client, StatusCode};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use helpers::{app_with_workspace, TestApp};
use serde_json::{json, Value};

/// A run's page (`…/runs/{id}`): the workspace frame, the run, its metrics, logs, outputs.
const RUN_PAGE_BUDGET: usize = 12;
/// The runs list page (`…/runs`): the workspace frame and the first 50 runs.
const RUNS_PAGE_BUDGET: usize = 6;
/// The runs list server function (JSON, as the hydrated page and scripts call it).
const RUNS_LIST_BUDGET: usize = 5;

/// runs/search over ten experiments, as a script searches (the tracking API, with a token): the
/// caller, the experiments named (one statement for all), a first read of each experiment, and
/// the found runs with their metrics.
const RUNS_SEARCH_BUDGET: usize = 15;

/// The statements seen since the last [`take`], in order.
fn statements() -> &'static Arc<Mutex<Vec<String>>> {
    static STATEMENTS: OnceLock<Arc<Mutex<Vec<String>>>> = OnceLock::new();
    STATEMENTS.get_or_init(|| {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let counting = Counting(seen.clone())
            .with_filter(filter_fn(|metadata| metadata.target() == "sqlx::query"));
        tracing_subscriber::registry().with(counting).init();
        seen
    })
}

fn take() -> Vec<String> {
    std::mem::take(&mut *statements().lock().unwrap())
}

/// Keeps each statement sqlx reports (its text, or its first words when that is all of it).
struct Counting(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber> Layer<S> for Counting {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut text = StatementText::default();
        event.record(&mut text);
        let statement =
            if text.statement.trim().is_empty() { text.summary } else { text.statement };
        self.0.lock().unwrap().push(statement.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

#[derive(Default)]
struct StatementText {
    summary: String,
    statement: String,
}

impl Visit for StatementText {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" => self.statement = value.to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.summary = format!("{value:?}").trim_matches('"').to_owned();
        }
    }
}

/// The fewest statements of three identical requests, and those statements.
async fn cost(send: impl AsyncFn() -> StatusCode) -> Vec<String> {
    let mut fewest: Option<Vec<String>> = None;
    for _ in 0..3 {
        take();
        assert_eq!(send().await, StatusCode::OK);
        let seen = take();
        if fewest.as_ref().is_none_or(|f| seen.len() < f.len()) {
            fewest = Some(seen);
        }
    }
    fewest.unwrap_or_default()
}

fn assert_within(what: &str, statements: &[String], budget: usize) {
    let listing = statements.iter().enumerate().map(|(i, s)| format!("{:>3}. {s}\n", i + 1));
    let listing: String = listing.collect();
    eprintln!("{what}: {} statements\n{listing}", statements.len());
    assert!(
        statements.len() <= budget,
        "{what} costs {} statements, over its budget of {budget}:\n{listing}",
        statements.len()
    );
    assert!(!statements.is_empty(), "{what}: no statement was counted (is sqlx logging?)");
}

const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WS_FORM: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

/// A workspace with an experiment of 60 runs (more than a page), one of them with metrics,
/// parameters and logs; returns that run's id.
async fn workspace_with_runs(app: &TestApp, ada: &Client) -> String {
    fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        WS_FORM.iter().copied().chain(extra.iter().copied()).collect()
    }
    let created = app.call(ada, "experiments/create", &with(&[("name", "mnist")])).await;
    assert_eq!(created.status(), StatusCode::OK);
    let mut last = String::new();
    for _ in 0..60 {
        let run = app.call(ada, "runs/create", &with(&[("experiment", "mnist")])).await;
        assert_eq!(run.status(), StatusCode::OK);
        let location = run.headers()["location"].to_str().unwrap();
        last = location.rsplit('/').next().unwrap().to_owned();
    }
    let update = [
        ("run", last.as_str()),
        ("status", "running"),
        ("params", "lr=0.01"),
        ("metrics", "loss 0 2.0\nloss 1 1.0\nloss 2 0.5\naccuracy 0.6"),
        ("log", "epoch 1\n"),
    ];
    let updated = app.call(ada, "runs/update", &with(&update)).await;
    assert_eq!(updated.status(), StatusCode::OK);
    last
}

/// POSTs to the workspace's tracking API as a script does, with a bearer token.
async fn post(app: &TestApp, token: &str, endpoint: &str, body: Value) -> reqwest::Response {
    let tracking = "/mlflow/v1.0/subscriptions/contoso/resourceGroups/vision/providers/\
                    Microsoft.MachineLearningServices/workspaces/detector/api/2.0/mlflow";
    let url = app.url(&format!("{tracking}/{endpoint}"));
    Client::new().post(url).bearer_auth(token).json(&body).send().await.expect("request sent")
}

/// Ten experiments of three runs each; returns their ids.
async fn experiments_with_runs(app: &TestApp, token: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..10 {
        let made = post(app, token, "experiments/create", json!({ "name": format!("e{n}") })).await;
        let made: Value = made.json().await.unwrap();
        let id = made["experiment_id"].as_str().expect("an experiment id").to_owned();
        for r in 0..3 {
            let run = json!({ "experiment_id": id, "run_name": format!("r{r}") });
            assert_eq!(post(app, token, "runs/create", run).await.status(), StatusCode::OK);
        }
        ids.push(id);
    }
    ids
}

/// One test, so that nothing else runs in the process while a request is counted.
#[tokio::test]
async fn page_views_lists_and_a_run_search_cost_a_bounded_number_of_statements() {
    statements();
    let (app, ada) = app_with_workspace().await;
    let run = workspace_with_runs(&app, &ada).await;

    let page = |path: String| {
        let (app, ada) = (&app, &ada);
        async move || ada.get(app.url(&path)).send().await.unwrap().status()
    };
    let run_page = cost(page(format!("{WS}/runs/{run}"))).await;
    let runs_page = cost(page(format!("{WS}/runs"))).await;
    let runs_list = cost(async || app.call(&ada, "runs/list", &WS_FORM).await.status()).await;

    assert_within("the run's page", &run_page, RUN_PAGE_BUDGET);
    assert_within("the runs page", &runs_page, RUNS_PAGE_BUDGET);
    assert_within("runs/list", &runs_list, RUNS_LIST_BUDGET);

    let form = [("name", "budget"), ("reach", WS), ("ends_on", "")];
    let token = app.json(&ada, "tokens/create", &form, StatusCode::OK).await;
    let token = token["secret"].as_str().expect("a secret");
    let ids = experiments_with_runs(&app, token).await;
    let body = json!({ "experiment_ids": ids, "max_results": 100 });
    let search = async || post(&app, token, "runs/search", body.clone()).await.status();
    let search = cost(search).await;
    assert_within("runs/search over ten experiments", &search, RUNS_SEARCH_BUDGET);
}
