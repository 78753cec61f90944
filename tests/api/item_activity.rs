//! The activity sections of item pages: each item's own events, newest first, in words, found
//! whatever spelling a change used, and only for those who may read the activity log.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

async fn ok(app: &TestApp, client: &Client, endpoint: &str, form: &[(&str, &str)]) {
    let response = app.call(client, endpoint, form).await;
    let status = response.status();
    assert_eq!(status, StatusCode::OK, "{endpoint}: {}", response.text().await.unwrap());
}

/// The `what` of each event in a view's activity.
fn said(view: &Value) -> Vec<String> {
    view["activity"]
        .as_array()
        .expect("an activity list")
        .iter()
        .map(|e| e["what"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn experiments_runs_and_environments_tell_their_own_history() {
    let (app, ada) = app_with_workspace().await;
    ok(&app, &ada, "experiments/create", &with(&[("name", "mnist")])).await;
    ok(&app, &ada, "experiments/create", &with(&[("name", "other")])).await;
    let form = with(&[("experiment", "mnist"), ("description", "digits"), ("tags", "team=vision")]);
    ok(&app, &ada, "experiments/update", &form).await;

    let created = app.call(&ada, "runs/create", &with(&[("experiment", "mnist")])).await;
    assert_eq!(created.status(), StatusCode::OK);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let run = location.rsplit('/').next().unwrap().to_owned();
    ok(&app, &ada, "runs/update", &with(&[("run", &run), ("status", "running")])).await;
    let upload = with(&[("run", &run), ("path", "model.bin"), ("content", "AAECAw==")]);
    ok(&app, &ada, "runs/upload_output", &upload).await;
    ok(&app, &ada, "runs/update", &with(&[("run", &run), ("status", "completed")])).await;

    let experiment =
        app.json(&ada, "experiments/get", &with(&[("experiment", "MNIST")]), StatusCode::OK).await;
    assert_eq!(said(&experiment), ["changed the description and tags", "created the experiment"]);
    assert_eq!(experiment["activity"][0]["actor"], "Ada");

    let run_view = app.json(&ada, "runs/get", &with(&[("run", &run)]), StatusCode::OK).await;
    assert_eq!(
        said(&run_view),
        [
            "moved the run from running to completed",
            "uploaded the output model.bin (4 B)",
            "moved the run from queued to running",
            "submitted the run to mnist",
        ]
    );

    // A second registration spelled differently is the same environment's history.
    for (name, image) in [("sklearn", "python:3.11-slim"), ("SKLEARN", "python:3.12-slim")] {
        ok(&app, &ada, "environments/register", &with(&[("name", name), ("base_image", image)]))
            .await;
    }
    let delete = with(&[("environment", "sklearn"), ("version", "1")]);
    ok(&app, &ada, "environments/delete_version", &delete).await;
    let env = app
        .json(&ada, "environments/get", &with(&[("environment", "sklearn")]), StatusCode::OK)
        .await;
    assert_eq!(
        said(&env),
        [
            "deleted version 1",
            "registered version 2 on python:3.12-slim",
            "registered version 1 on python:3.11-slim",
        ]
    );
}

#[tokio::test]
async fn only_those_who_may_read_the_activity_log_see_an_items_history() {
    let (app, ada) = app_with_workspace().await;
    ok(&app, &ada, "experiments/create", &with(&[("name", "mnist")])).await;
    let olga = app.signed_in("Olga", "olga@example.com").await;
    let reader = app.signed_in("Rita", "rita@example.com").await;
    let viewer = [
        ("organization", "contoso"),
        ("name", "Experiment viewer"),
        ("description", "Sees experiments, not who changed them"),
        ("actions", "Microsoft.MachineLearningServices/workspaces/experiments/read\nMicrosoft.MachineLearningServices/workspaces/read"),
        ("not_actions", ""),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    app.json(&ada, "roles/save", &viewer, StatusCode::OK).await;
    for (email, role) in [("olga@example.com", "Experiment viewer"), ("rita@example.com", "Reader")]
    {
        crate::membership::give(&app, &ada, WS_SCOPE, email, role).await;
    }

    let get = with(&[("experiment", "mnist")]);
    let seen = app.json(&reader, "experiments/get", &get, StatusCode::OK).await;
    assert_eq!(said(&seen), ["created the experiment"]);
    let unseen = app.json(&olga, "experiments/get", &get, StatusCode::OK).await;
    assert!(unseen["activity"].is_null(), "no history without the activity log: {unseen}");
}
