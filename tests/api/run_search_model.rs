//! `runs/search` against a reference model (issue 16 moved it from memory into SQL): random
//! runs in seventy experiments (names, statuses, start and end times, parameters, tags, metrics
//! with several steps, some deleted) are written through the tracking API, then random
//! searches (filters of every entity and comparator, orders of one or two keys, page sizes,
//! view types, subsets of the experiments, searched one statement each or all in one) are paged through to the end and compared with
//! what a plain model computes: the crate's clause semantics (`Clause::holds`, tested on its
//! own) over values kept by the test, sorted as MLflow does (missing values last, then newest
//! start first, then run id).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use atelier::server::db::run_search::{
    self, Comparison, Condition, RunField, RunQuery, SortKey, Test,
};
use atelier::server::db::Backend;
use atelier::server::mlflow::filter::{parse_filter, parse_order, Actual, Field, Order};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::app_with_workspace;
use crate::list_plans::assert_indexed;
use crate::tracking_support::{answer, detector, post, token, WS_PATH};

/// A small deterministic generator (xorshift), so a failure prints a case that repeats.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// What the test knows of a run.
#[derive(Clone, Debug)]
struct ModelRun {
    id: String,
    experiment: String,
    name: String,
    status: &'static str,
    start_ms: i64,
    end_ms: Option<i64>,
    user: String,
    deleted: bool,
    params: BTreeMap<String, String>,
    tags: BTreeMap<String, String>,
    metrics: BTreeMap<String, f64>,
}

const NAMES: &[&str] = &["trial_1", "trial_12", "Trial_2", "gan-a", "gan-b", "x%y", "x_y", "base"];
const TEXTS: &[&str] = &["adam", "Adam", "sgd", "0.1", "1e-3", "x_y", "x%y", "a'b", ""];
const NUMBERS: &[f64] = &[-1.0, 0.0, 0.25, 0.5, 1.0, 2.5];
const STATUSES: &[&str] = &["RUNNING", "FINISHED", "FAILED", "KILLED"];
/// Start times: a few values, so that ties are common.
const STARTS: &[i64] = &[1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000];

impl ModelRun {
    fn value(&self, field: &Field) -> Option<Actual<'_>> {
        match field {
            Field::Metric(k) => self.metrics.get(k).map(|v| Actual::Number(*v)),
            Field::Param(k) => self.params.get(k).map(|v| Actual::Text(v)),
            Field::Tag(k) if k == "mlflow.runName" => Some(Actual::Text(&self.name)),
            Field::Tag(k) => self.tags.get(k).map(|v| Actual::Text(v)),
            Field::Attribute(a) => match a.as_str() {
                "status" => Some(Actual::Text(self.status)),
                "run_name" => Some(Actual::Text(&self.name)),
                "run_id" => Some(Actual::Text(&self.id)),
                "user_id" => Some(Actual::Text(&self.user)),
                "experiment_id" => Some(Actual::Text(&self.experiment)),
                "end_time" => self.end_ms.map(|t| Actual::Number(t as f64)),
                // Compared in `expected`, which makes the address.
                "artifact_uri" => None,
                _ => Some(Actual::Number(self.start_ms as f64)),
            },
        }
    }
}

fn artifact_uri(run: &ModelRun) -> String {
    format!("mlflow-artifacts:/runs/{}", run.id)
}

/// The model's answer: matching runs in MLflow's order.
fn expected<'a>(
    runs: &'a [ModelRun],
    experiments: &[String],
    view: &str,
    filter: &str,
    order_by: &[String],
) -> Vec<&'a ModelRun> {
    let clauses = parse_filter(filter).expect("the test's filters parse");
    let mut orders: Vec<Order> =
        order_by.iter().map(|o| parse_order(o).expect("the test's orders parse")).collect();
    let is_start = |f: &Field| matches!(f, Field::Attribute(a) if ["start_time", "created", "Created"].contains(&a.as_str()));
    if !orders.iter().any(|o| is_start(&o.field)) {
        orders.push(Order { field: Field::Attribute("start_time".into()), ascending: false });
    }
    let mut found: Vec<&ModelRun> = runs
        .iter()
        .filter(|r| experiments.contains(&r.experiment))
        .filter(|r| match view {
            "DELETED_ONLY" => r.deleted,
            "ALL" => true,
            _ => !r.deleted,
        })
        .filter(|r| {
            clauses.iter().all(|c| match &c.field {
                Field::Attribute(a) if a == "artifact_uri" => {
                    c.holds(Some(Actual::Text(&artifact_uri(r))))
                }
                field => c.holds(r.value(field)),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        for o in &orders {
            let (x, y) = (a.value(&o.field), b.value(&o.field));
            let ordering = match (x, y) {
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
                (Some(x), Some(y)) => {
                    let o2 = match (x, y) {
                        (Actual::Number(p), Actual::Number(q)) => {
                            p.partial_cmp(&q).unwrap_or(Ordering::Equal)
                        }
                        (Actual::Text(p), Actual::Text(q)) => p.cmp(q),
                        (Actual::Number(_), Actual::Text(_)) => Ordering::Less,
                        (Actual::Text(_), Actual::Number(_)) => Ordering::Greater,
                    };
                    if o.ascending {
                        o2
                    } else {
                        o2.reverse()
                    }
                }
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        a.id.cmp(&b.id)
    });
    found
}

/// `text` quoted for a filter.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn random_clause(dice: &mut Dice, runs: &[ModelRun]) -> String {
    let run = dice.pick(runs);
    let text_comparators = ["=", "!=", "<", ">=", "LIKE", "ILIKE"];
    let pattern = |dice: &mut Dice| {
        let patterns = ["%trial%", "TRI%", "%_1", "%ial_1%", "gan-%", "x%", "%a%", "x\\_y", "%"];
        (*dice.pick(&patterns)).to_owned()
    };
    match dice.below(13) {
        0 | 1 => {
            let key = dice.pick(&["m", "n"]);
            let op = dice.pick(&["<", "<=", ">", ">=", "=", "!="]);
            format!("metrics.{key} {op} {}", dice.pick(NUMBERS))
        }
        2 | 3 => {
            let entity = dice.pick(&["params", "tags"]);
            let key = dice.pick(&["a", "b"]);
            let op = dice.pick(&text_comparators);
            let value = if op.contains("LIKE") && dice.chance(50) {
                pattern(dice)
            } else {
                (*dice.pick(TEXTS)).to_owned()
            };
            format!("{entity}.{key} {op} {}", quoted(&value))
        }
        4 => {
            let entity = dice.pick(&["params", "tags"]);
            let not = if dice.chance(50) { "NOT " } else { "" };
            let items: Vec<String> =
                (0..1 + dice.below(3)).map(|_| quoted(dice.pick::<&str>(TEXTS))).collect();
            format!("{entity}.a {not}IN ({})", items.join(", "))
        }
        5 | 6 => {
            let field = dice.pick(&["attributes.run_name", "run_name", "tags.`mlflow.runName`"]);
            let op = dice.pick(&text_comparators);
            let value = if op.contains("LIKE") { pattern(dice) } else { run.name.clone() };
            format!("{field} {op} {}", quoted(&value))
        }
        7 => {
            let op = dice.pick(&["=", "!=", "LIKE", "ILIKE"]);
            let value = if op.contains("LIKE") {
                "%ED".to_owned()
            } else {
                (*dice.pick(STATUSES)).to_owned()
            };
            format!("attributes.status {op} {}", quoted(&value))
        }
        8 => {
            let op = dice.pick(&["<", "<=", ">", ">=", "=", "!="]);
            let at = dice.pick(STARTS);
            let value = match dice.below(3) {
                0 => at.to_string(),
                1 => quoted(&at.to_string()),
                _ => quoted("soon"),
            };
            let field = dice.pick(&["start_time", "attributes.created", "end_time"]);
            format!("{field} {op} {value}")
        }
        9 => {
            let other = dice.pick(runs);
            if dice.chance(50) {
                format!("attributes.run_id = {}", quoted(&run.id))
            } else {
                format!("run_id IN ({}, {})", quoted(&run.id), quoted(&other.id))
            }
        }
        10 => format!("attributes.experiment_id = {}", quoted(&run.experiment)),
        11 => format!("attributes.artifact_uri LIKE {}", quoted(&format!("%{}%", &run.id[..6]))),
        _ => format!("attributes.user_id = {}", quoted(&run.user)),
    }
}

fn random_order(dice: &mut Dice) -> Vec<String> {
    let keys = [
        "metrics.m",
        "metrics.n",
        "params.a",
        "tags.a",
        "start_time",
        "end_time",
        "run_name",
        "attributes.status",
        "attributes.run_id",
        "attributes.experiment_id",
        "tags.`mlflow.runName`",
    ];
    (0..dice.below(3))
        .map(|_| {
            let direction = dice.pick(&["", " ASC", " DESC"]);
            format!("{}{direction}", dice.pick(&keys))
        })
        .collect()
}

async fn ok(uri: &str, token: &str, endpoint: &str, body: Value) -> Value {
    let (status, answer) = answer(post(uri, token, endpoint, body.clone()).await).await;
    assert_eq!(status, StatusCode::OK, "{endpoint} {body}: {answer}");
    answer
}

#[tokio::test]
async fn searches_find_what_the_reference_model_finds_page_after_page() {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let token = token(&app, &ada, "search-model", WS_PATH, false).await;
    let mut dice = Dice(0x5eed_1234_abcd_0001);
    let mut experiments = Vec::new();
    // More experiments than are searched one statement each (64): a search of all of them
    // is one statement, of some of them one per experiment.
    for i in 0..70 {
        let made = ok(&uri, &token, "experiments/create", json!({ "name": format!("e{i}") })).await;
        experiments.push(made["experiment_id"].as_str().expect("an id").to_owned());
    }
    let mut runs = Vec::new();
    for i in 0..160 {
        // Most runs in three experiments, a few in the others.
        let experiment = if i % 8 == 7 { dice.pick(&experiments) } else { &experiments[i % 3] };
        let name = (*dice.pick(NAMES)).to_owned();
        let start_ms = *dice.pick(STARTS);
        let made = ok(
            &uri,
            &token,
            "runs/create",
            json!({ "experiment_id": experiment, "run_name": name, "start_time": start_ms }),
        )
        .await;
        let info = &made["run"]["info"];
        let mut run = ModelRun {
            id: info["run_id"].as_str().expect("a run id").to_owned(),
            experiment: experiment.clone(),
            name,
            status: "RUNNING",
            start_ms,
            end_ms: None,
            user: info["user_id"].as_str().expect("a user").to_owned(),
            deleted: false,
            params: BTreeMap::new(),
            tags: BTreeMap::new(),
            metrics: BTreeMap::new(),
        };
        let (mut metrics, mut params, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        for key in ["m", "n"] {
            if dice.chance(70) {
                let steps = 1 + dice.below(3);
                for step in 0..steps {
                    let value = *dice.pick(NUMBERS);
                    metrics.push(
                        json!({ "key": key, "value": value, "timestamp": start_ms, "step": step }),
                    );
                    run.metrics.insert(key.to_owned(), value);
                }
            }
        }
        for key in ["a", "b"] {
            if dice.chance(70) {
                let value = (*dice.pick(TEXTS)).to_owned();
                params.push(json!({ "key": key, "value": value }));
                run.params.insert(key.to_owned(), value);
            }
            if dice.chance(60) {
                let value = (*dice.pick(TEXTS)).to_owned();
                tags.push(json!({ "key": key, "value": value }));
                run.tags.insert(key.to_owned(), value);
            }
        }
        let batch = json!({ "run_id": run.id, "metrics": metrics, "params": params, "tags": tags });
        ok(&uri, &token, "runs/log-batch", batch).await;
        if dice.chance(20) && run.tags.contains_key("a") {
            // A tag set again: the search reads the new value.
            ok(
                &uri,
                &token,
                "runs/set-tag",
                json!({ "run_id": run.id, "key": "a", "value": "sgd" }),
            )
            .await;
            run.tags.insert("a".to_owned(), "sgd".to_owned());
        }
        if dice.chance(70) {
            let status = *dice.pick(&STATUSES[1..]);
            let end_ms = start_ms + 1000 * (1 + dice.below(3) as i64);
            let body = json!({ "run_id": run.id, "status": status, "end_time": end_ms });
            ok(&uri, &token, "runs/update", body).await;
            run.status = status;
            run.end_ms = Some(end_ms);
        }
        if dice.chance(10) {
            ok(&uri, &token, "runs/delete", json!({ "run_id": run.id })).await;
            run.deleted = true;
        }
        runs.push(run);
    }

    let mut failures = Vec::new();
    let (mut found_some, mut paged) = (0, 0);
    for case in 0..300 {
        let chosen: Vec<String> = if dice.chance(30) {
            experiments.clone()
        } else {
            // The three that hold most runs are often among them.
            let mut some = Vec::new();
            for (i, e) in experiments.iter().enumerate() {
                if dice.chance(if i < 3 { 60 } else { 15 }) {
                    some.push(e.clone());
                }
            }
            some
        };
        let filter: Vec<String> =
            (0..dice.below(3)).map(|_| random_clause(&mut dice, &runs)).collect();
        let filter = filter.join(" and ");
        let order_by = random_order(&mut dice);
        let view = *dice.pick(&["ACTIVE_ONLY", "ACTIVE_ONLY", "DELETED_ONLY", "ALL"]);
        let max = 1 + dice.below(60);
        let want: Vec<&str> = expected(&runs, &chosen, view, &filter, &order_by)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let mut got: Vec<String> = Vec::new();
        let mut token_of_page: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut body = json!({
                "experiment_ids": chosen, "filter": filter, "order_by": order_by,
                "run_view_type": view, "max_results": max,
            });
            if let Some(t) = &token_of_page {
                body["page_token"] = json!(t);
            }
            let page = ok(&uri, &token, "runs/search", body).await;
            let runs_of_page = page["runs"].as_array().cloned().unwrap_or_default();
            let next = page["next_page_token"].as_str().map(str::to_owned);
            if next.is_some() && runs_of_page.len() != max {
                failures.push(format!(
                    "case {case}: a page of {} before the last (max {max})",
                    runs_of_page.len()
                ));
            }
            got.extend(
                runs_of_page.iter().map(|r| r["info"]["run_id"].as_str().unwrap_or("?").to_owned()),
            );
            pages += 1;
            match next {
                Some(t) if pages < 200 => token_of_page = Some(t),
                _ => break,
            }
        }
        found_some += usize::from(!want.is_empty());
        paged += usize::from(pages > 2);
        if got != want {
            failures.push(format!(
                "case {case}: filter {filter:?} order {order_by:?} view {view} max {max} \
                 experiments {chosen:?}:\n  want {want:?}\n  got  {got:?}"
            ));
        }
    }
    // The cases are worth something: most find runs, many take several pages.
    assert!(found_some >= 150 && paged >= 50, "{found_some} cases found runs, {paged} paged");
    assert!(
        failures.is_empty(),
        "{} of 300 searches differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The benchmark's searches (issue 16) read a large experiment through its indexes: the newest
/// runs off `runs_experiment_start`, a metric's best off `run_metric_summaries_search` (with a
/// parameter checked by key), a rare run name off the trigram index.
#[tokio::test]
async fn the_benchmarks_searches_read_through_indexes() {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let token = token(&app, &ada, "search-plans", WS_PATH, false).await;
    let made = ok(&uri, &token, "experiments/create", json!({ "name": "scale" })).await;
    let experiment: i64 = made["experiment_id"].as_str().unwrap().parse().unwrap();
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    let row = sqlx::query("SELECT organization_id, workspace_id FROM experiments WHERE id = $1")
        .bind(experiment)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let tenant: (i64, i64) = (sqlx::Row::get(&row, 0), sqlx::Row::get(&row, 1));
    // 20,000 runs with a parameter and a metric each, and the statistics the planner reads.
    sqlx::query(
        "INSERT INTO runs (organization_id, workspace_id, experiment_id, name, display_name, \
         display_key, status, user_name, params, created_at, started_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
         SELECT $1, $2, $3, 'run-' || i, 'trial_' || i, 'trial_' || i, 'completed', 'Ada', \
         CASE WHEN i % 3 = 0 THEN '[[\"optimizer\",\"adam\"]]' ELSE '[[\"optimizer\",\"sgd\"]]' END, \
         i, i FROM n",
    )
    .bind(tenant.0)
    .bind(tenant.1)
    .bind(experiment)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO run_metric_summaries (organization_id, run_id, metric_key, last_value, \
         last_step, min_value, max_value, points, experiment_id) \
         SELECT organization_id, id, 'loss', (id % 1000) / 1000.0, 0, 0, 1, 1, experiment_id \
         FROM runs WHERE experiment_id = $1",
    )
    .bind(experiment)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::Executor::execute(&mut *conn, "ANALYZE").await.unwrap();
    if backend == Backend::Postgres {
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let loss = RunField::Metric("loss".into());
    let by_loss = vec![SortKey { field: loss.clone(), ascending: true }];
    let query = |conditions: Vec<Condition>, order: Vec<SortKey>| RunQuery {
        experiments: vec![experiment],
        deleted: Some(false),
        conditions,
        order,
        wanted: 101,
    };
    let searches = [
        ("top 100", query(vec![], vec![])),
        (
            "metric filter",
            query(
                vec![Condition { field: loss.clone(), test: Test::Number(Comparison::Lt, 0.25) }],
                by_loss.clone(),
            ),
        ),
        (
            "param filter",
            query(
                vec![Condition {
                    field: RunField::Param("optimizer".into()),
                    test: Test::Text(Comparison::Eq, "adam".into()),
                }],
                by_loss.clone(),
            ),
        ),
    ];
    for (what, search) in searches {
        let plans =
            run_search::plans_of_find(&mut conn, backend, tenant, &search, None).await.unwrap();
        // The first statement is the one a page is read from; runs lacking the metric are read
        // only when too few have it.
        assert_indexed(backend, "runs", what, &plans[0]);
        assert_indexed(backend, "run_metric_summaries", what, &plans[0]);
        let text = plans[0].join("\n");
        let index =
            if what == "top 100" { "runs_experiment_start" } else { "run_metric_summaries_search" };
        assert!(text.contains(index), "{what}: does not read {index}:\n{text}");
    }
    if backend == Backend::Sqlite {
        let pattern = "%trial_19876%";
        let name = Condition {
            field: RunField::DisplayName,
            test: Test::Like { pattern: pattern.into(), ignore_case: false },
        };
        let search = query(vec![name], vec![]);
        let plans = run_search::plans_of_find(&mut conn, backend, tenant, &search, Some(pattern))
            .await
            .unwrap();
        let text = plans[0].join("\n");
        assert!(
            text.contains("VIRTUAL TABLE INDEX"),
            "run name: not from the trigram index:\n{text}"
        );
        // The few runs so named are then sorted: that sort is all the reading there is.
        let scans_runs = plans[0].iter().any(|l| l.trim_start().starts_with("SCAN r "));
        assert!(!scans_runs, "run name: reads the whole runs table:\n{text}");
        // And the search itself finds the one run so named.
        let found = ok(
            &uri,
            &token,
            "runs/search",
            json!({ "experiment_ids": [experiment.to_string()], "filter": "run_name LIKE '%trial_19876%'" }),
        )
        .await;
        let names: Vec<&str> = found["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["info"]["run_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["trial_19876"]);
    }
}
