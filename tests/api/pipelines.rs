//! Pipelines over HTTP: create, read, list (search, filter, sort, pages by key while rows
//! arrive), change the graph, the messages for bad graphs, delete, purge, the roles that decide
//! who may do which, tenancy, and the plans the database picks for the lists. Runs of a
//! pipeline are in `pipeline_runs`.

use atelier::domain::listing::Cursor;
use atelier::domain::pipeline::PipelineSort;
use atelier::domain::RunStatus;
use atelier::server::db::pipeline_runs::{self, RunFilter};
use atelier::server::db::pipelines::{plan_of_list, PipelineFilter};
use atelier::server::db::Backend;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};

pub const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
pub const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
pub const THREE_STEPS: &str =
    "prep: python prep.py\nsplit after prep: python split.py\ntrain after prep, split: python train.py";

pub fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

pub async fn create(app: &TestApp, client: &Client, name: &str, steps: &str) -> reqwest::Response {
    app.call(client, "pipelines/create", &with(&[("name", name), ("steps", steps)])).await
}

pub async fn create_ok(app: &TestApp, client: &Client, extra: &[(&str, &str)]) {
    let response = app.call(client, "pipelines/create", &with(extra)).await;
    assert_eq!(response.status(), StatusCode::OK, "creating {extra:?}");
}

pub async fn get(app: &TestApp, client: &Client, name: &str) -> Value {
    app.json(client, "pipelines/get", &with(&[("pipeline", name)]), StatusCode::OK).await
}

async fn list(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> Value {
    app.json(client, "pipelines/list", &with(extra), StatusCode::OK).await
}

fn names(page: &Value) -> Vec<String> {
    page["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The error's field and message, asserting its status.
pub async fn refused(response: reqwest::Response, status: StatusCode) -> (Value, String) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    (body["field"].clone(), body["message"].as_str().unwrap_or_default().to_owned())
}

pub async fn grant(app: &TestApp, owner: &Client, email: &str, role: &str) {
    crate::membership::give(app, owner, WS_SCOPE, email, role).await;
}

/// A cluster and an environment in two versions, for steps to name.
pub async fn compute_and_environment(app: &TestApp, ada: &Client) {
    let cluster = with(&[("name", "gpu-cluster"), ("kind", "cluster"), ("max_nodes", "2")]);
    assert_eq!(app.call(ada, "computes/create", &cluster).await.status(), StatusCode::OK);
    for _ in 0..2 {
        let env = with(&[("name", "sklearn"), ("base_image", "python:3.11-slim")]);
        assert_eq!(app.call(ada, "environments/register", &env).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_pipeline_is_created_with_its_graph_and_related_items() {
    let (app, ada) = app_with_workspace().await;
    compute_and_environment(&app, &ada).await;
    let steps = "prep using sklearn: python prep.py\n\
                 train after prep on gpu-cluster using sklearn:1: python train.py --lr 0.01";
    let form = with(&[
        ("name", "churn"),
        ("steps", steps),
        ("description", "Nightly"),
        ("tags", "team=growth"),
    ]);
    let response = app.call(&ada, "pipelines/create", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view = get(&app, &ada, "CHURN").await;
    assert_eq!(view["pipeline"]["name"], "churn");
    assert_eq!(view["pipeline"]["step_count"], 2);
    assert!(view["pipeline"]["last_run_status"].is_null());
    let train = &view["graph"]["steps"][1];
    assert_eq!(train["after"][0], "prep");
    assert_eq!(train["compute"], "gpu-cluster");
    assert_eq!(train["environment"]["version"], 1);
    let related: Vec<(String, bool)> = view["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap().to_owned(), r["url"].is_string()))
        .collect();
    assert_eq!(
        related,
        [("sklearn".into(), true), ("gpu-cluster".into(), true), ("sklearn:1".into(), true)]
    );
    let activity = view["activity"].as_array().unwrap();
    assert_eq!(activity[0]["what"], "Created with 2 steps");
    assert_eq!(activity[0]["actor"], "Ada");
    let (field, taken) =
        refused(create(&app, &ada, "Churn", "a: b").await, StatusCode::CONFLICT).await;
    assert_eq!((field, taken.contains("already")), ("name".into(), true));
}

#[tokio::test]
async fn bad_graphs_are_refused_beside_the_steps_field_with_the_reason() {
    let (app, ada) = app_with_workspace().await;
    compute_and_environment(&app, &ada).await;
    let fifty_one: String = (0..51).map(|i| format!("s{i}: run\n")).collect();
    let cases = [
        ("", "at least one step"),
        ("a after c: x\nb after a: y\nc after b: z", "circle: a → b → c → a"),
        ("a: x\nb after z: y", "Line 2: \"b\" comes after \"z\", which is not a step"),
        ("a: x\na: y", "Line 2: the step name \"a\" is used on line 1 already"),
        ("a: x\n\nb on cpu-cluster: y", "Line 3: there is no compute \"cpu-cluster\""),
        ("a using pytorch: x", "Line 1: there is no environment \"pytorch\""),
        ("a using sklearn:3: x", "Line 1: the environment \"sklearn\" has no version 3"),
        ("a python x", "Line 1: write a step as"),
        (fifty_one.as_str(), "at most 50 steps; this one has 51"),
    ];
    for (steps, expected) in cases {
        let (field, message) =
            refused(create(&app, &ada, "bad", steps).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(field, "steps", "{steps}");
        assert!(message.contains(expected), "{steps:?}: {message}");
    }
    let (field, _) =
        refused(create(&app, &ada, "-bad", "a: b").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "name");
    assert_eq!(names(&list(&app, &ada, &[]).await), Vec::<String>::new());
}

#[tokio::test]
async fn editing_the_graph_is_audited_and_runs_keep_the_graph_they_were_submitted_with() {
    let (app, ada) = app_with_workspace().await;
    create_ok(&app, &ada, &[("name", "etl"), ("steps", THREE_STEPS)]).await;
    let submit = with(&[("pipeline", "etl")]);
    assert_eq!(app.call(&ada, "pipelines/submit", &submit).await.status(), StatusCode::OK);
    let update = with(&[("pipeline", "etl"), ("steps", "only: echo one"), ("tags", "v=2")]);
    assert_eq!(app.call(&ada, "pipelines/update", &update).await.status(), StatusCode::OK);
    let view = get(&app, &ada, "etl").await;
    assert_eq!(view["pipeline"]["step_count"], 1);
    assert_eq!(view["pipeline"]["tags"][0][1], "2");
    assert_eq!(view["activity"][0]["what"], "Changed; 1 steps");
    let run = app
        .json(
            &ada,
            "pipelines/get_run",
            &with(&[("pipeline", "etl"), ("run", "1")]),
            StatusCode::OK,
        )
        .await;
    assert_eq!(run["graph"]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(run["steps"].as_array().unwrap().len(), 3);
    let bad = with(&[("pipeline", "etl"), ("steps", "a after a: x")]);
    let (field, message) =
        refused(app.call(&ada, "pipelines/update", &bad).await, StatusCode::BAD_REQUEST).await;
    assert_eq!((field.as_str(), message.contains("a → a")), (Some("steps"), true));
    let missing = with(&[("pipeline", "nope"), ("steps", "a: x")]);
    assert_eq!(app.call(&ada, "pipelines/update", &missing).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_without_skipping_new_rows() {
    let (app, ada) = app_with_workspace().await;
    for i in 0..54 {
        let name = format!("p{i:02}");
        let steps: String = (0..=(i % 4)).map(|s| format!("s{s}: run\n")).collect();
        let tags = if i % 10 == 0 { "team=speech" } else { "team=vision" };
        create_ok(&app, &ada, &[("name", &name), ("steps", &steps), ("tags", tags)]).await;
    }
    let speech = list(&app, &ada, &[("search", "SPEECH")]).await;
    assert_eq!(names(&speech), ["p00", "p10", "p20", "p30", "p40", "p50"]);
    assert_eq!(names(&list(&app, &ada, &[("search", "p5")]).await), ["p50", "p51", "p52", "p53"]);

    let first = list(&app, &ada, &[]).await;
    assert_eq!(names(&first).len(), 50);
    assert_eq!(names(&first)[0], "p00");
    let after = first["next_after"].as_str().unwrap().to_owned();
    // Rows arriving between pages: one before the cursor (not shown), one after (shown once).
    create_ok(&app, &ada, &[("name", "a-early"), ("steps", "a: x")]).await;
    create_ok(&app, &ada, &[("name", "z-late"), ("steps", "a: x")]).await;
    let second = list(&app, &ada, &[("after", &after)]).await;
    assert_eq!(names(&second), ["p50", "p51", "p52", "p53", "z-late"]);
    assert!(second["next_after"].is_null());

    let descending = list(&app, &ada, &[("sort", "-name")]).await;
    assert_eq!(names(&descending)[..2], ["z-late", "p53"]);
    let most_steps = list(&app, &ada, &[("sort", "-steps")]).await;
    let counts: Vec<i64> = most_steps["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["step_count"].as_i64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let rest = list(
        &app,
        &ada,
        &[("sort", "-steps"), ("after", most_steps["next_after"].as_str().unwrap())],
    )
    .await;
    let mut all: Vec<String> = names(&most_steps).into_iter().chain(names(&rest)).collect();
    assert_eq!(all.len(), 56);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 56, "no pipeline is shown twice across pages");

    let submit = with(&[("pipeline", "p07")]);
    assert_eq!(app.call(&ada, "pipelines/submit", &submit).await.status(), StatusCode::OK);
    assert_eq!(names(&list(&app, &ada, &[("last_run", "queued")]).await), ["p07"]);
    let never = list(&app, &ada, &[("last_run", "never"), ("search", "p0")]).await;
    assert!(!names(&never).contains(&"p07".to_owned()));
    assert_eq!(names(&never).len(), 9);
    let changed = list(&app, &ada, &[("sort", "-updated")]).await;
    assert_eq!(names(&changed).len(), 50);
    let stale = with(&[("sort", "-steps"), ("after", "abc")]);
    let (field, _) =
        refused(app.call(&ada, "pipelines/list", &stale).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "after");
}

#[tokio::test]
async fn deleting_a_pipeline_deletes_its_runs_and_purging_the_workspace_leaves_nothing() {
    let (app, ada) = app_with_workspace().await;
    create_ok(&app, &ada, &[("name", "etl"), ("steps", THREE_STEPS)]).await;
    create_ok(&app, &ada, &[("name", "keep"), ("steps", THREE_STEPS)]).await;
    for name in ["etl", "etl", "keep"] {
        let submit = with(&[("pipeline", name)]);
        assert_eq!(app.call(&ada, "pipelines/submit", &submit).await.status(), StatusCode::OK);
    }
    let wrong = with(&[("pipeline", "etl"), ("confirm_name", "elt")]);
    let (field, _) =
        refused(app.call(&ada, "pipelines/delete", &wrong).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "confirm_name");
    let delete = with(&[("pipeline", "etl"), ("confirm_name", "ETL")]);
    assert_eq!(app.call(&ada, "pipelines/delete", &delete).await.status(), StatusCode::OK);
    assert_eq!(
        app.call(&ada, "pipelines/get", &with(&[("pipeline", "etl")])).await.status(),
        StatusCode::NOT_FOUND
    );
    let count = |table: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!((count("pipeline_runs").await, count("pipeline_run_steps").await), (1, 3));
    let log = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    assert!(log.to_string().contains("pipelines/delete"), "the deletion is audited");

    let delete_ws = with(&[("confirm_name", "detector")]);
    assert_eq!(app.call(&ada, "workspaces/delete", &delete_ws).await.status(), StatusCode::OK);
    assert_eq!(app.call(&ada, "workspaces/purge", &WS).await.status(), StatusCode::OK);
    for table in ["pipelines", "pipeline_runs", "pipeline_run_steps"] {
        assert_eq!(count(table).await, 0, "{table} keeps rows of a purged workspace");
    }
}

#[tokio::test]
async fn data_scientists_create_and_run_pipelines_and_readers_only_look() {
    let (app, ada) = app_with_workspace().await;
    let scientist = app.signed_in("Sam", "sam@example.com").await;
    let reader = app.signed_in("Rita", "rita@example.com").await;
    grant(&app, &ada, "sam@example.com", "AzureML Data Scientist").await;
    grant(&app, &ada, "rita@example.com", "Reader").await;

    create_ok(&app, &scientist, &[("name", "sams"), ("steps", THREE_STEPS)]).await;
    let submit = with(&[("pipeline", "sams")]);
    assert_eq!(app.call(&scientist, "pipelines/submit", &submit).await.status(), StatusCode::OK);
    let step = with(&[("pipeline", "sams"), ("run", "1"), ("step", "prep"), ("status", "running")]);
    assert_eq!(app.call(&scientist, "pipelines/set_step", &step).await.status(), StatusCode::OK);
    let update = with(&[("pipeline", "sams"), ("steps", "a: x")]);
    assert_eq!(app.call(&scientist, "pipelines/update", &update).await.status(), StatusCode::OK);

    assert_eq!(names(&list(&app, &reader, &[]).await), ["sams"]);
    assert!(get(&app, &reader, "sams").await["activity"].is_array());
    let run = with(&[("pipeline", "sams"), ("run", "1")]);
    assert_eq!(app.call(&reader, "pipelines/get_run", &run).await.status(), StatusCode::OK);
    let refusals = [
        ("pipelines/create", with(&[("name", "mine"), ("steps", "a: x")])),
        ("pipelines/update", update.clone()),
        ("pipelines/submit", submit.clone()),
        (
            "pipelines/set_step",
            with(&[("pipeline", "sams"), ("run", "1"), ("step", "prep"), ("status", "completed")]),
        ),
        ("pipelines/cancel_run", run.clone()),
        ("pipelines/delete", with(&[("pipeline", "sams"), ("confirm_name", "sams")])),
    ];
    for (endpoint, form) in &refusals {
        assert_eq!(
            app.call(&reader, endpoint, form).await.status(),
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
    let delete = with(&[("pipeline", "sams"), ("confirm_name", "sams")]);
    assert_eq!(app.call(&scientist, "pipelines/delete", &delete).await.status(), StatusCode::OK);

    // Another organization's person learns nothing, not even that the pipeline exists.
    create_ok(&app, &ada, &[("name", "secret"), ("steps", "a: x")]).await;
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "mallory-inc", "stuff", "things").await;
    for (endpoint, form) in [
        ("pipelines/get", with(&[("pipeline", "secret")])),
        ("pipelines/list", with(&[])),
        ("pipelines/submit", with(&[("pipeline", "secret")])),
        ("pipelines/delete", with(&[("pipeline", "secret"), ("confirm_name", "secret")])),
    ] {
        assert_eq!(
            app.call(&mallory, endpoint, &form).await.status(),
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    let hers = [
        ("organization", "mallory-inc"),
        ("resource_group", "stuff"),
        ("workspace", "things"),
        ("pipeline", "secret"),
    ];
    assert_eq!(app.call(&mallory, "pipelines/get", &hers).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_pipeline_and_run_lists_read_through_indexes() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan (or to gather from a bitmap and sort); forbid
        // both to see which index the query can read in order, as it would at scale.
        for setting in ["SET enable_seqscan = off", "SET enable_bitmapscan = off"] {
            sqlx::Executor::execute(&mut *conn, setting).await.unwrap();
        }
    }
    let by_name = match backend {
        Backend::Sqlite => "sqlite_autoindex_pipelines_1",
        Backend::Postgres => "pipelines_workspace_id_name_key_key",
    };
    let base = PipelineFilter { limit: 51, ..PipelineFilter::default() };
    let sorted = |sort| PipelineFilter { sort, ..base.clone() };
    let filters = [
        ("name", base.clone(), by_name),
        (
            "name, next page",
            PipelineFilter { after: Some(Cursor::Name("m".into())), ..base.clone() },
            by_name,
        ),
        ("search", PipelineFilter { search: Some("x".into()), ..base.clone() }, by_name),
        ("recently changed", sorted(PipelineSort::RecentlyChanged), "pipelines_workspace_updated"),
        (
            "steps, next page",
            PipelineFilter { after: Some(Cursor::Number(3, 9)), ..sorted(PipelineSort::MostSteps) },
            "pipelines_workspace_steps",
        ),
        (
            "last run",
            PipelineFilter { last_run: Some(Some(RunStatus::Failed)), ..base.clone() },
            "pipelines_workspace_last_run",
        ),
    ];
    for (what, filter, index) in filters {
        let plan = plan_of_list(&mut conn, backend, (1, 1), &filter).await.unwrap();
        assert_reads_through(backend, "pipelines", &plan, index, what);
    }
    let by_number = match backend {
        Backend::Sqlite => "sqlite_autoindex_pipeline_runs_1",
        Backend::Postgres => "pipeline_runs_pipeline_id_number_key",
    };
    let runs = [
        ("runs", RunFilter { limit: 21, ..RunFilter::default() }, by_number),
        (
            "older runs",
            RunFilter { before: Some(40), limit: 21, ..RunFilter::default() },
            by_number,
        ),
        (
            "runs by status",
            RunFilter { status: Some(RunStatus::Failed), before: Some(40), limit: 21 },
            "pipeline_runs_status",
        ),
    ];
    for (what, filter, index) in runs {
        let plan =
            pipeline_runs::plan_of_list(&mut conn, backend, (1, 1, 1), &filter).await.unwrap();
        assert_reads_through(backend, "pipeline_runs", &plan, index, what);
    }
}

/// The plan uses `index` and neither scans the whole table nor sorts (at a million rows both
/// would read every row of the workspace for one page).
fn assert_reads_through(backend: Backend, table: &str, plan: &[String], index: &str, what: &str) {
    let text = plan.join("\n");
    let (scans, sorts) = match backend {
        Backend::Sqlite => (
            plan.iter().any(|l| l.trim_start().starts_with(&format!("SCAN {table}"))),
            text.contains("TEMP B-TREE"),
        ),
        Backend::Postgres => {
            (text.contains(&format!("Seq Scan on {table}")), text.contains("Sort"))
        }
    };
    assert!(!scans, "{what}: the list scans the whole table:\n{text}");
    assert!(!sorts, "{what}: the list sorts instead of reading in order:\n{text}");
    assert!(text.contains(index), "{what}: not the expected index {index}:\n{text}");
}
