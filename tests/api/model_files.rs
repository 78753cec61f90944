//! Model versions' files over HTTP: copied from a folder or file of the source run's outputs
//! (and kept when the run is deleted), or uploaded; downloaded under models/read; refused with
//! nothing written when the path names no output; removed with their version or model.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, client, walk, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

/// A completed run of experiment `mnist` holding `outputs` (path, text); returns its id.
async fn run_with_outputs(app: &TestApp, ada: &Client, outputs: &[(&str, &str)]) -> String {
    app.call(ada, "experiments/create", &with(&[("name", "mnist")])).await;
    let submit = with(&[("experiment", "mnist"), ("status", "completed")]);
    let response = app.call(ada, "runs/create", &submit).await;
    assert_eq!(response.status(), StatusCode::OK, "submitting a run");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let run = location.rsplit('/').next().unwrap().to_owned();
    for (path, text) in outputs {
        let content = STANDARD.encode(text);
        let form = with(&[("run", &run), ("path", path), ("content", &content)]);
        assert_eq!(app.call(ada, "runs/upload_output", &form).await.status(), StatusCode::OK);
    }
    run
}

async fn register(app: &TestApp, ada: &Client, extra: &[(&str, &str)]) -> reqwest::Response {
    app.call(ada, "models/register", &with(extra)).await
}

/// Each version's files as (version, path, size), newest version first.
async fn files(app: &TestApp, client: &Client, model: &str) -> Vec<(i64, String, i64)> {
    let view = app.json(client, "models/get", &with(&[("model", model)]), StatusCode::OK).await;
    let mut all = Vec::new();
    for version in view["versions"].as_array().unwrap() {
        for file in version["files"].as_array().unwrap() {
            all.push((
                version["version"].as_i64().unwrap(),
                file["path"].as_str().unwrap().to_owned(),
                file["size"].as_i64().unwrap(),
            ));
        }
    }
    all
}

fn file_url(app: &TestApp, model: &str, version: i64, path: &str) -> String {
    app.url(&format!("/files{WS_SCOPE}/models/{model}/versions/{version}/{path}"))
}

async fn download(client: &Client, url: &str) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap_or_default())
}

/// The files stored under model folders, anywhere in the data directory.
fn stored_model_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    let root = app.state.settings.data_dir.join("workspaces");
    walk(&root).into_iter().filter(|p| p.components().any(|c| c.as_os_str() == "models")).collect()
}

#[tokio::test]
async fn a_version_copies_its_run_outputs_and_keeps_them_after_the_run_is_deleted() {
    let (app, ada) = app_with_workspace().await;
    let outputs = [
        ("outputs/model/MLmodel", "flavors:\n  pytorch: {}\n"),
        ("outputs/model/data/model.pth", "weights v1"),
        ("outputs/metrics.json", "{\"accuracy\": 0.9}"),
    ];
    let run = run_with_outputs(&app, &ada, &outputs).await;
    let folder = [("name", "churn"), ("source_run", &run), ("artifact_path", "outputs/model/")];
    assert_eq!(register(&app, &ada, &folder).await.status(), StatusCode::OK);
    let file = [("name", "churn"), ("source_run", &run), ("artifact_path", "outputs/metrics.json")];
    assert_eq!(register(&app, &ada, &file).await.status(), StatusCode::OK);
    assert_eq!(
        files(&app, &ada, "churn").await,
        [
            (2, "metrics.json".to_owned(), 17),
            (1, "MLmodel".to_owned(), 23),
            (1, "data/model.pth".to_owned(), 10),
        ],
        "a folder's files keep their paths below it; a file keeps its name"
    );
    let view = app.json(&ada, "models/get", &with(&[("model", "churn")]), StatusCode::OK).await;
    let events: Vec<&str> = view["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap_or_default())
        .collect();
    assert!(
        events.iter().any(|e| e.contains(&format!("from outputs/model of run {run}"))),
        "the activity says where the files came from: {events:?}"
    );

    assert_eq!(
        app.call(&ada, "runs/delete", &with(&[("run", &run)])).await.status(),
        StatusCode::OK
    );
    let weights = file_url(&app, "churn", 1, "data/model.pth");
    assert_eq!(download(&ada, &weights).await, (StatusCode::OK, "weights v1".to_owned()));
    let metrics = file_url(&app, "churn", 2, "metrics.json");
    assert_eq!(download(&ada, &metrics).await.1, "{\"accuracy\": 0.9}");

    // A Reader downloads; someone without access, or no one, does not learn it exists.
    let rita = app.signed_in("Rita", "rita@example.com").await;
    crate::membership::give(&app, &ada, WS_SCOPE, "rita@example.com", "Reader").await;
    assert_eq!(download(&rita, &weights).await.0, StatusCode::OK);
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    assert_eq!(download(&mallory, &weights).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(&client(), &weights).await.0, StatusCode::UNAUTHORIZED);
    for missing in [
        file_url(&app, "churn", 1, "metrics.json"),
        file_url(&app, "churn", 3, "MLmodel"),
        file_url(&app, "churn", 1, "..%2Fsecret"),
        file_url(&app, "other", 1, "MLmodel"),
    ] {
        assert_eq!(download(&ada, &missing).await.0, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn a_path_naming_no_output_or_without_its_run_registers_nothing() {
    let (app, ada) = app_with_workspace().await;
    let run = run_with_outputs(&app, &ada, &[("outputs/model/MLmodel", "x")]).await;
    let cases: [(&[(&str, &str)], StatusCode); 4] = [
        (
            &[("name", "churn"), ("source_run", &run), ("artifact_path", "outputs/mod")],
            StatusCode::NOT_FOUND,
        ),
        (
            &[("name", "churn"), ("source_run", &run), ("artifact_path", "outputs/../x")],
            StatusCode::BAD_REQUEST,
        ),
        (&[("name", "churn"), ("artifact_path", "outputs/model")], StatusCode::BAD_REQUEST),
        (
            &[
                ("name", "churn"),
                ("source_run", &run),
                ("artifact_path", "outputs/model"),
                ("file_name", "model.onnx"),
                ("content", "b25ueA=="),
            ],
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (form, status) in cases {
        let response = register(&app, &ada, form).await;
        assert_eq!(response.status(), status, "{form:?}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], "artifact_path", "{form:?}: {error}");
    }
    let page = app.json(&ada, "models/list", &WS, StatusCode::OK).await;
    assert_eq!(page["models"], serde_json::json!([]), "nothing half-registered");
    assert!(stored_model_files(&app).is_empty());
}

#[tokio::test]
async fn an_uploaded_file_is_the_versions_file() {
    let (app, ada) = app_with_workspace().await;
    let content = STANDARD.encode("onnx bytes");
    let form = [("name", "churn"), ("file_name", "C:\\models\\model.onnx"), ("content", &content)];
    assert_eq!(register(&app, &ada, &form).await.status(), StatusCode::OK);
    assert_eq!(files(&app, &ada, "churn").await, [(1, "model.onnx".to_owned(), 10)]);
    let url = file_url(&app, "churn", 1, "model.onnx");
    assert_eq!(download(&ada, &url).await, (StatusCode::OK, "onnx bytes".to_owned()));

    let unnamed = [("name", "churn"), ("file_name", ""), ("content", &content)];
    let response = register(&app, &ada, &unnamed).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "content");
}

#[tokio::test]
async fn deleting_a_version_or_its_model_removes_their_files() {
    let (app, ada) = app_with_workspace().await;
    let run = run_with_outputs(&app, &ada, &[("outputs/model/MLmodel", "m")]).await;
    let from_run = [("name", "churn"), ("source_run", &run), ("artifact_path", "outputs/model")];
    for _ in 0..2 {
        assert_eq!(register(&app, &ada, &from_run).await.status(), StatusCode::OK);
    }
    assert_eq!(stored_model_files(&app).len(), 2);
    let store = with(&[("datastore", "workspaceblobstore")]);
    let default = app.json(&ada, "datastores/get", &store, StatusCode::OK).await;
    assert_eq!(default["datastore"]["model_file_count"], 2, "the default datastore holds them");

    let delete = with(&[("model", "churn"), ("version", "1")]);
    assert_eq!(app.call(&ada, "models/delete_version", &delete).await.status(), StatusCode::OK);
    assert_eq!(
        download(&ada, &file_url(&app, "churn", 1, "MLmodel")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(download(&ada, &file_url(&app, "churn", 2, "MLmodel")).await.0, StatusCode::OK);
    assert_eq!(stored_model_files(&app).len(), 1, "version 1's folder is gone");
    assert_eq!(files(&app, &ada, "churn").await, [(2, "MLmodel".to_owned(), 1)]);

    let delete = with(&[("model", "churn"), ("confirm_name", "churn")]);
    assert_eq!(app.call(&ada, "models/delete", &delete).await.status(), StatusCode::OK);
    assert!(stored_model_files(&app).is_empty());
    let default = app.json(&ada, "datastores/get", &store, StatusCode::OK).await;
    assert_eq!(default["datastore"]["model_file_count"], 0);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM model_version_files")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    // The run's own outputs are untouched.
    let outputs = app.json(&ada, "runs/outputs", &with(&[("run", &run)]), StatusCode::OK).await;
    assert_eq!(outputs.as_array().unwrap().len(), 1);
}
