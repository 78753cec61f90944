//! Experiments and runs over HTTP: create, read, list (search, filters, sorts, pages that
//! neither skip nor repeat while runs arrive), update, delete, and the plans the database
//! picks for the runs list.

use std::collections::BTreeSet;

use atelier::domain::RunSort;
use atelier::server::db::runs::{plan_of_list, RunFilter};
use atelier::server::db::Backend;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

async fn create_experiment(app: &TestApp, client: &Client, name: &str) {
    let response = app.call(client, "experiments/create", &with(&[("name", name)])).await;
    assert_eq!(response.status(), StatusCode::OK, "creating experiment {name}");
}

/// Submits a run and returns its id.
async fn submit(
    app: &TestApp,
    client: &Client,
    experiment: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut form = with(&[("experiment", experiment)]);
    form.extend_from_slice(extra);
    let response = app.call(client, "runs/create", &form).await;
    assert_eq!(response.status(), StatusCode::OK, "submitting a run");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().to_owned()
}

async fn read(app: &TestApp, client: &Client, endpoint: &str, extra: &[(&str, &str)]) -> Value {
    app.json(client, endpoint, &with(extra), StatusCode::OK).await
}

async fn list(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> Value {
    read(app, client, "runs/list", extra).await
}

fn names(page: &Value) -> Vec<String> {
    page["runs"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().into()).collect()
}

#[tokio::test]
async fn experiments_are_created_searched_changed_and_deleted_with_their_runs() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "churn-model").await;
    create_experiment(&app, &ada, "mnist").await;

    let twice = app.call(&ada, "experiments/create", &with(&[("name", "MNIST")])).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert!(twice.text().await.unwrap().contains("already has an experiment by that name"));
    let bad = app.call(&ada, "experiments/create", &with(&[("name", "has space")])).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let update =
        with(&[("experiment", "mnist"), ("description", "Digits, a CNN"), ("tags", "team=vision")]);
    assert_eq!(app.call(&ada, "experiments/update", &update).await.status(), StatusCode::OK);
    let found = read(&app, &ada, "experiments/list", &[("search", "VISION")]).await;
    let listed: Vec<&str> = found["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["mnist"]);
    assert_eq!(found["experiments"][0]["description"], "Digits, a CNN");

    let run = submit(&app, &ada, "mnist", &[]).await;
    let one = read(&app, &ada, "experiments/get", &[("experiment", "mnist")]).await;
    assert_eq!(one["experiment"]["run_count"], 1);
    let overview = read(&app, &ada, "workspaces/get", &[]).await;
    let counts = overview["resource_counts"].as_array().unwrap();
    assert!(counts.contains(&serde_json::json!(["Experiments", 2])), "{counts:?}");
    assert!(counts.contains(&serde_json::json!(["Runs", 1])), "{counts:?}");
    assert!(counts.contains(&serde_json::json!(["Datastores", 1])), "{counts:?}");
    assert!(counts.contains(&serde_json::json!(["Models", 0])), "{counts:?}");
    assert!(counts.contains(&serde_json::json!(["Compute", 0])), "{counts:?}");

    let wrong = with(&[("experiment", "mnist"), ("confirm_name", "mnis")]);
    assert_eq!(
        app.call(&ada, "experiments/delete", &wrong).await.status(),
        StatusCode::BAD_REQUEST
    );
    let delete = with(&[("experiment", "mnist"), ("confirm_name", "mnist")]);
    assert_eq!(app.call(&ada, "experiments/delete", &delete).await.status(), StatusCode::OK);
    let gone = app.call(&ada, "runs/get", &with(&[("run", &run)])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let gone = app.call(&ada, "experiments/get", &with(&[("experiment", "mnist")])).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    let activity = app
        .json(
            &ada,
            "access/activity",
            &[("scope", "/organizations/contoso/resourceGroups/vision/workspaces/detector")],
            StatusCode::OK,
        )
        .await;
    let actions: Vec<&str> = activity["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.iter().any(|a| a.ends_with("experiments/delete")), "{actions:?}");
    assert!(actions.iter().any(|a| a.ends_with("runs/submit/action")), "{actions:?}");
}

#[tokio::test]
async fn a_run_takes_metrics_and_logs_until_it_ends() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "mnist").await;
    let run = submit(
        &app,
        &ada,
        "mnist",
        &[("display_name", "lr sweep 1"), ("params", "lr=0.01\nepochs=3"), ("tags", "kind=sweep")],
    )
    .await;
    let started = with(&[
        ("run", &run),
        ("status", "running"),
        ("metrics", "loss 0 2.0\nloss 1 1.0\nloss 2 0.5\naccuracy 0.6\naccuracy 0.9"),
        ("log", "epoch 1\n"),
    ]);
    assert_eq!(app.call(&ada, "runs/update", &started).await.status(), StatusCode::OK);
    let more_log = with(&[("run", &run), ("log", "epoch 2\n")]);
    assert_eq!(app.call(&ada, "runs/update", &more_log).await.status(), StatusCode::OK);

    let view = app.json(&ada, "runs/get", &with(&[("run", &run)]), StatusCode::OK).await;
    let r = &view["run"];
    assert_eq!(
        (r["display_name"].as_str(), r["status"].as_str()),
        (Some("lr sweep 1"), Some("Running"))
    );
    assert_eq!(r["params"][0], serde_json::json!(["lr", "0.01"]));
    let loss = r["metrics"].as_array().unwrap().iter().find(|m| m["key"] == "loss").unwrap();
    assert_eq!(
        (loss["last"].as_f64(), loss["min"].as_f64(), loss["max"].as_f64()),
        (Some(0.5), Some(0.5), Some(2.0))
    );
    assert_eq!(loss["points"], 3);

    let series = app.json(&ada, "runs/series", &with(&[("runs", &run)]), StatusCode::OK).await;
    let accuracy = series.as_array().unwrap().iter().find(|s| s["key"] == "accuracy").unwrap();
    assert_eq!(accuracy["points"], serde_json::json!([[0.0, 0.6], [1.0, 0.9]]));

    let logs = app.json(&ada, "runs/logs", &with(&[("run", &run)]), StatusCode::OK).await;
    let bodies: Vec<&str> =
        logs["chunks"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["epoch 1\n", "epoch 2\n"]);
    let tail = read(&app, &ada, "runs/logs", &[("run", &run), ("after", "1")]).await;
    assert_eq!(tail["chunks"].as_array().unwrap().len(), 1);

    let bad = with(&[("run", &run), ("metrics", "loss one")]);
    let refused = app.call(&ada, "runs/update", &bad).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("not a finite number"));

    let done = with(&[("run", &run), ("status", "completed")]);
    assert_eq!(app.call(&ada, "runs/update", &done).await.status(), StatusCode::OK);
    let view = app.json(&ada, "runs/get", &with(&[("run", &run)]), StatusCode::OK).await;
    assert!(view["run"]["duration"].as_i64().unwrap() >= 0);
    let late = with(&[("run", &run), ("metrics", "loss 0.1")]);
    assert_eq!(app.call(&ada, "runs/update", &late).await.status(), StatusCode::CONFLICT);
    let back = with(&[("run", &run), ("status", "running")]);
    let back = app.call(&ada, "runs/update", &back).await;
    assert_eq!(back.status(), StatusCode::CONFLICT);
    assert!(back.text().await.unwrap().contains("This run is completed"));

    let delete = app.call(&ada, "runs/delete", &with(&[("run", &run)])).await;
    assert_eq!(delete.status(), StatusCode::OK);
    let gone = app.call(&ada, "runs/series", &with(&[("runs", &run)])).await;
    assert_eq!(gone.json::<Value>().await.unwrap(), serde_json::json!([]));
    let one = read(&app, &ada, "experiments/get", &[("experiment", "mnist")]).await;
    assert_eq!(one["experiment"]["run_count"], 0);
}

#[tokio::test]
async fn runs_are_filtered_by_status_submitter_time_and_search() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "mnist").await;
    create_experiment(&app, &ada, "churn").await;
    let queued = submit(&app, &ada, "mnist", &[("tags", "owner=vision")]).await;
    let running = submit(&app, &ada, "mnist", &[("status", "running")]).await;
    let other = submit(&app, &ada, "churn", &[("display_name", "gradient boosting")]).await;

    let in_mnist = list(&app, &ada, &[("experiment", "mnist")]).await;
    assert_eq!(names(&in_mnist), [running.clone(), queued.clone()]);
    assert_eq!(in_mnist["experiment"]["name"], "mnist");
    let by_status = list(&app, &ada, &[("status", "running")]).await;
    assert_eq!(names(&by_status), [running.as_str()]);
    let searched = list(&app, &ada, &[("search", "BOOST")]).await;
    assert_eq!(names(&searched), [other.as_str()]);
    let by_tag = list(&app, &ada, &[("search", "owner")]).await;
    assert_eq!(names(&by_tag), [queued.as_str()]);
    let mine = list(&app, &ada, &[("submitted_by", "me")]).await;
    assert_eq!(names(&mine).len(), 3);
    let future = list(&app, &ada, &[("since", "4102444800")]).await;
    assert!(names(&future).is_empty());
    let past = list(&app, &ada, &[("until", "4102444800")]).await;
    assert_eq!(names(&past).len(), 3);

    let unknown = app.call(&ada, "runs/list", &with(&[("experiment", "nope")])).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let stale = app.call(&ada, "runs/list", &with(&[("sort", "name"), ("after", "12")])).await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
}

/// Walks every page in `sort` order, submitting `arrivals` new runs after the first page.
async fn walk_pages(app: &TestApp, client: &Client, sort: RunSort, arrivals: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = list(
            app,
            client,
            &[("experiment", "sweep"), ("sort", sort.as_str()), ("after", &after)],
        )
        .await;
        seen.extend(names(&page));
        if seen.len() <= 50 {
            for _ in 0..arrivals {
                // The same name for all: ties are broken by id.
                submit(app, client, "sweep", &[("display_name", "added later")]).await;
            }
        }
        match page["next_after"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    seen
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_runs_while_runs_arrive() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "sweep").await;
    let mut original = BTreeSet::new();
    for i in 0..60 {
        let name = format!("trial {:02}", (i * 37) % 60);
        original.insert(submit(&app, &ada, "sweep", &[("display_name", &name)]).await);
    }
    for (sort, arrivals) in
        [(RunSort::Oldest, 3), (RunSort::NameAscending, 0), (RunSort::Newest, 4)]
    {
        let seen = walk_pages(&app, &ada, sort, arrivals).await;
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "{sort:?}: a run appeared twice");
        assert!(original.is_subset(&unique), "{sort:?}: a run was skipped");
    }
    let by_name = walk_pages(&app, &ada, RunSort::NameDescending, 0).await;
    let page = list(&app, &ada, &[("experiment", "sweep"), ("sort", "-name")]).await;
    assert_eq!(page["runs"][0]["display_name"], "trial 59");
    assert_eq!(by_name.len(), 67);
}

#[tokio::test]
async fn a_run_is_found_only_in_its_own_workspace() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "mnist").await;
    let run = submit(&app, &ada, "mnist", &[]).await;
    let created = app.create_workspace(&ada, "contoso/vision", "", "segmenter").await;
    assert_eq!(created.status(), StatusCode::OK);
    let elsewhere = [
        ("organization", "contoso"),
        ("resource_group", "vision"),
        ("workspace", "segmenter"),
        ("run", run.as_str()),
    ];
    for endpoint in ["runs/get", "runs/logs", "runs/delete"] {
        let response = app.call(&ada, endpoint, &elsewhere).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let update = [elsewhere.as_slice(), &[("metrics", "loss 1")]].concat();
    assert_eq!(app.call(&ada, "runs/update", &update).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn purging_a_workspace_removes_its_experiments_and_runs() {
    let (app, ada) = app_with_workspace().await;
    create_experiment(&app, &ada, "mnist").await;
    let run = submit(&app, &ada, "mnist", &[("status", "running")]).await;
    let update = with(&[("run", &run), ("metrics", "loss 1"), ("log", "hello")]);
    assert_eq!(app.call(&ada, "runs/update", &update).await.status(), StatusCode::OK);
    let delete = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    let mut conn = app.state.pool.acquire().await.unwrap();
    let tables = [
        "experiments",
        "runs",
        "run_metrics",
        "run_metric_summaries",
        "run_logs",
        "logged_models",
        "run_model_outputs",
    ];
    for table in tables {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table} keeps rows of a purged workspace");
    }
}

#[tokio::test]
async fn the_runs_list_reads_through_indexes_for_its_main_filters() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan; forbid that to see which index the query can use.
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let base = RunFilter { limit: 51, ..RunFilter::default() };
    let filters = [
        ("workspace", base.clone()),
        ("experiment", RunFilter { experiment_id: Some(1), ..base.clone() }),
        ("status", RunFilter { status: Some(atelier::domain::RunStatus::Running), ..base.clone() }),
        ("submitter", RunFilter { user_id: Some(1), ..base.clone() }),
        ("created since", RunFilter { created_since: Some(1), ..base.clone() }),
        (
            "experiment by name",
            RunFilter { experiment_id: Some(1), sort: RunSort::NameAscending, ..base.clone() },
        ),
        (
            "experiment by duration",
            RunFilter { experiment_id: Some(1), sort: RunSort::Longest, ..base.clone() },
        ),
        (
            "experiment and status",
            RunFilter {
                experiment_id: Some(1),
                status: Some(atelier::domain::RunStatus::Failed),
                ..base.clone()
            },
        ),
        (
            "created between, oldest first",
            RunFilter {
                created_since: Some(1),
                created_until: Some(2),
                sort: RunSort::Oldest,
                ..base.clone()
            },
        ),
        // Text matches anywhere, which no index serves: the runs are read newest first through
        // one, and the page ends at its 51st match.
        ("search", RunFilter { search: Some("lr".to_owned()), ..base.clone() }),
        ("workspace by name", RunFilter { sort: RunSort::NameDescending, ..base.clone() }),
        ("workspace by duration", RunFilter { sort: RunSort::Shortest, ..base.clone() }),
    ];
    for (what, filter) in filters {
        let plan = plan_of_list(&mut conn, backend, (1, 1), &filter).await.unwrap();
        let text = plan.join("\n");
        let scans_runs = match backend {
            Backend::Sqlite => plan.iter().any(|l| l.trim_start().starts_with("SCAN r")),
            Backend::Postgres => text.contains("Seq Scan on runs"),
        };
        assert!(!scans_runs, "{what}: the runs list scans the whole table:\n{text}");
        assert!(text.contains("runs_"), "{what}: no runs index in the plan:\n{text}");
        // A page of a million runs must come off the index in order, not from sorting them all.
        let sorts = match backend {
            Backend::Sqlite => text.contains("TEMP B-TREE FOR ORDER BY"),
            Backend::Postgres => {
                plan.iter().any(|l| l.trim_start_matches([' ', '-', '>']).starts_with("Sort"))
            }
        };
        assert!(!sorts, "{what}: the runs list sorts instead of reading in order:\n{text}");
    }
}
