//! Runs of a pipeline over HTTP: submitted queued with every step queued and the environments
//! pinned; steps moving forward only, starting after what they depend on, cancelling what
//! waits for a failed step; the run's status and times following; cancelling a run; the run
//! list of a pipeline.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};
use crate::pipelines::{compute_and_environment, create_ok, get, refused, with, THREE_STEPS};

async fn submit(app: &TestApp, client: &Client, pipeline: &str) {
    let response = app.call(client, "pipelines/submit", &with(&[("pipeline", pipeline)])).await;
    assert_eq!(response.status(), StatusCode::OK, "submitting {pipeline}");
}

async fn run(app: &TestApp, client: &Client, pipeline: &str, number: &str) -> Value {
    let form = with(&[("pipeline", pipeline), ("run", number)]);
    app.json(client, "pipelines/get_run", &form, StatusCode::OK).await
}

async fn set_step(app: &TestApp, client: &Client, step: &str, status: &str) -> reqwest::Response {
    let form = with(&[("pipeline", "etl"), ("run", "1"), ("step", step), ("status", status)]);
    app.call(client, "pipelines/set_step", &form).await
}

fn statuses(run: &Value) -> Vec<String> {
    run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_submitted_run_is_queued_with_every_step_queued_and_its_environments_pinned() {
    let (app, ada) = app_with_workspace().await;
    compute_and_environment(&app, &ada).await;
    let steps =
        "prep using sklearn: python prep.py\ntrain after prep on gpu-cluster: python train.py";
    create_ok(&app, &ada, &[("name", "etl"), ("steps", steps)]).await;
    submit(&app, &ada, "etl").await;
    let first = run(&app, &ada, "etl", "1").await;
    assert_eq!(first["run"]["status"], "Queued");
    assert_eq!(statuses(&first), ["Queued", "Queued"]);
    assert!(first["run"]["started_at"].is_null());
    assert_eq!(
        first["graph"]["steps"][0]["environment"]["version"], 2,
        "latest means version 2 now"
    );
    let pipeline = get(&app, &ada, "etl").await;
    assert!(
        pipeline["graph"]["steps"][0]["environment"]["version"].is_null(),
        "the pipeline still means latest"
    );
    assert_eq!(pipeline["pipeline"]["last_run_status"], "Queued");
    assert_eq!(pipeline["activity"][0]["what"], "Submitted run 1");

    // What a step names may go between saving and submitting: the run is refused, saying so.
    let delete = with(&[("compute", "gpu-cluster"), ("confirm_name", "gpu-cluster")]);
    assert_eq!(app.call(&ada, "computes/delete", &delete).await.status(), StatusCode::OK);
    let again = app.call(&ada, "pipelines/submit", &with(&[("pipeline", "etl")])).await;
    let (field, message) = refused(again, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "steps");
    assert!(message.contains("no compute \"gpu-cluster\""), "{message}");
    let missing = with(&[("pipeline", "etl"), ("run", "9")]);
    assert_eq!(app.call(&ada, "pipelines/get_run", &missing).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn steps_move_forward_after_their_dependencies_and_the_run_status_follows() {
    let (app, ada) = app_with_workspace().await;
    create_ok(&app, &ada, &[("name", "etl"), ("steps", THREE_STEPS)]).await;
    submit(&app, &ada, "etl").await;

    let (field, message) =
        refused(set_step(&app, &ada, "train", "running").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "status");
    assert_eq!(
        message,
        "The step \"train\" starts only after \"prep\" completed; that step is queued."
    );
    assert_eq!(set_step(&app, &ada, "prep", "running").await.status(), StatusCode::OK);
    let started = run(&app, &ada, "etl", "1").await;
    assert_eq!(started["run"]["status"], "Running");
    assert!(started["run"]["started_at"].is_i64());
    assert!(started["steps"][0]["started_at"].is_i64());
    let (_, message) =
        refused(set_step(&app, &ada, "prep", "queued").await, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("forward"), "{message}");
    assert_eq!(set_step(&app, &ada, "prep", "completed").await.status(), StatusCode::OK);
    let (_, message) =
        refused(set_step(&app, &ada, "prep", "running").await, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("cannot become running"), "{message}");
    let (_, message) =
        refused(set_step(&app, &ada, "prep", "completed").await, StatusCode::BAD_REQUEST).await;
    assert!(message.contains("already"), "{message}");
    let (field, _) =
        refused(set_step(&app, &ada, "prep", "done").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(field, "status");
    assert_eq!(set_step(&app, &ada, "nosuch", "running").await.status(), StatusCode::NOT_FOUND);

    assert_eq!(set_step(&app, &ada, "split", "running").await.status(), StatusCode::OK);
    assert_eq!(set_step(&app, &ada, "split", "failed").await.status(), StatusCode::OK);
    let failed = run(&app, &ada, "etl", "1").await;
    assert_eq!(statuses(&failed), ["Completed", "Failed", "Canceled"]);
    assert_eq!(failed["run"]["status"], "Failed");
    let (start, end) = (
        failed["run"]["started_at"].as_i64().unwrap(),
        failed["run"]["ended_at"].as_i64().unwrap(),
    );
    assert_eq!(failed["run"]["duration"].as_i64(), Some(end - start));
    assert!(failed["steps"][2]["started_at"].is_null(), "a canceled step never started");
    let view = get(&app, &ada, "etl").await;
    assert_eq!(view["pipeline"]["last_run_status"], "Failed");
    assert_eq!(view["activity"][0]["what"], "Run 1: step split running → failed");
    let cancel = with(&[("pipeline", "etl"), ("run", "1")]);
    let (_, message) =
        refused(app.call(&ada, "pipelines/cancel_run", &cancel).await, StatusCode::CONFLICT).await;
    assert!(message.contains("finished"), "{message}");
}

#[tokio::test]
async fn a_run_completes_when_every_step_completed_and_a_canceled_run_keeps_what_finished() {
    let (app, ada) = app_with_workspace().await;
    create_ok(&app, &ada, &[("name", "etl"), ("steps", THREE_STEPS)]).await;
    submit(&app, &ada, "etl").await;
    for step in ["prep", "split", "train"] {
        assert_eq!(set_step(&app, &ada, step, "running").await.status(), StatusCode::OK, "{step}");
        assert_eq!(
            set_step(&app, &ada, step, "completed").await.status(),
            StatusCode::OK,
            "{step}"
        );
    }
    assert_eq!(run(&app, &ada, "etl", "1").await["run"]["status"], "Completed");

    submit(&app, &ada, "etl").await;
    let step =
        with(&[("pipeline", "etl"), ("run", "2"), ("step", "prep"), ("status", "completed")]);
    assert_eq!(app.call(&ada, "pipelines/set_step", &step).await.status(), StatusCode::OK);
    let cancel = with(&[("pipeline", "etl"), ("run", "2")]);
    assert_eq!(app.call(&ada, "pipelines/cancel_run", &cancel).await.status(), StatusCode::OK);
    let canceled = run(&app, &ada, "etl", "2").await;
    assert_eq!(statuses(&canceled), ["Completed", "Canceled", "Canceled"]);
    assert_eq!(canceled["run"]["status"], "Canceled");
    assert!(canceled["run"]["ended_at"].is_i64());

    // The pipeline's runs, newest first, filtered by status.
    submit(&app, &ada, "etl").await;
    let view = get(&app, &ada, "etl").await;
    let numbers: Vec<i64> =
        view["runs"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [3, 2, 1]);
    assert_eq!(view["pipeline"]["run_count"], 3);
    assert_eq!(view["pipeline"]["last_run_status"], "Queued");
    let form = with(&[("pipeline", "etl"), ("run_status", "completed")]);
    let completed = app.json(&ada, "pipelines/get", &form, StatusCode::OK).await;
    assert_eq!(completed["runs"].as_array().unwrap().len(), 1);
    assert_eq!(completed["runs"][0]["number"], 1);
}

#[tokio::test]
async fn the_run_list_pages_newest_first_while_runs_arrive() {
    let (app, ada) = app_with_workspace().await;
    create_ok(&app, &ada, &[("name", "etl"), ("steps", "a: x")]).await;
    for _ in 0..23 {
        submit(&app, &ada, "etl").await;
    }
    let first = get(&app, &ada, "etl").await;
    assert_eq!(first["runs"].as_array().unwrap().len(), 20);
    assert_eq!(first["runs"][0]["number"], 23);
    let after = first["next_runs_after"].as_str().unwrap().to_owned();
    submit(&app, &ada, "etl").await;
    let older = app
        .json(
            &ada,
            "pipelines/get",
            &with(&[("pipeline", "etl"), ("after", &after)]),
            StatusCode::OK,
        )
        .await;
    let numbers: Vec<i64> =
        older["runs"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [3, 2, 1]);
    assert!(older["next_runs_after"].is_null());
}
