//! Files sent by forms in a browser without JavaScript: multipart bodies reach the same server
//! functions as the app's base64 fields, answer with a redirect back to the page, and carry
//! their errors in its address.

use std::io::Write;

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};

use crate::helpers::{app_with_workspace, TestApp};

const WS_URL: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn workspace_form() -> Form {
    Form::new()
        .text("organization", "contoso")
        .text("resource_group", "vision")
        .text("workspace", "detector")
}

fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_owned())
}

/// Creates experiment `mnist` with one run; returns the run's id.
async fn new_run(app: &TestApp, client: &Client) -> String {
    let ws = [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
    let mut form = ws.to_vec();
    form.push(("name", "mnist"));
    assert_eq!(app.call(client, "experiments/create", &form).await.status(), StatusCode::OK);
    let mut form = ws.to_vec();
    form.push(("experiment", "mnist"));
    let response = app.call(client, "runs/create", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().to_owned()
}

/// Where a redirect leads (a page's address cleared of an earlier error ends in a bare `?`).
fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().trim_end_matches('?').to_owned()
}

/// The error a redirect carries back to the page, decoded.
fn carried_error(location: &str) -> serde_json::Value {
    use base64::engine::general_purpose::URL_SAFE;
    use base64::Engine;
    let url = url::Url::parse(location).unwrap();
    let err = url.query_pairs().find(|(k, _)| k == "__err").map(|(_, v)| v.into_owned());
    let bytes = URL_SAFE.decode(err.expect("the error is in the address")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn an_output_file_posted_by_a_plain_form_is_stored_under_its_own_name() {
    let (app, ada) = app_with_workspace().await;
    let run = new_run(&app, &ada).await;
    let page = format!("{WS_URL}/runs/{run}");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let form = workspace_form()
        .text("run", run.clone())
        .text("path", "")
        .part("content@file_name", file("weights.bin", bytes.clone()));
    let response = app.submit_multipart(&ada, &page, "runs/upload_output", form).await;
    assert!(response.status().is_redirection(), "got {}", response.status());
    // Back to the page, told that it worked.
    assert_eq!(location(&response), format!("{page}?done=%2Fapi%2Fruns%2Fupload_output"));

    let url = app.url(&format!("/files{WS_URL}/runs/{run}/outputs/outputs/weights.bin"));
    let download = ada.get(&url).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().to_vec(), bytes);

    // A path typed in the form wins over the file's name.
    let form = workspace_form()
        .text("run", run.clone())
        .text("path", "outputs/renamed.txt")
        .part("content@file_name", file("notes.txt", b"hello".to_vec()));
    let response = app.submit_multipart(&ada, &page, "runs/upload_output", form).await;
    assert!(response.status().is_redirection());
    let url = app.url(&format!("/files{WS_URL}/runs/{run}/outputs/outputs/renamed.txt"));
    assert_eq!(ada.get(&url).send().await.unwrap().text().await.unwrap(), "hello");
}

#[tokio::test]
async fn a_plain_form_without_a_file_comes_back_with_the_reason_in_the_address() {
    let (app, ada) = app_with_workspace().await;
    let run = new_run(&app, &ada).await;
    let page = format!("{WS_URL}/runs/{run}");
    let form = workspace_form()
        .text("run", run.clone())
        .text("path", "")
        .part("content@file_name", file("", Vec::new()));
    let response = app.submit_multipart(&ada, &page, "runs/upload_output", form).await;
    assert!(response.status().is_redirection());
    let location = location(&response);
    assert!(location.contains("__path=%2Fapi%2Fruns%2Fupload_output"), "{location}");
    let error = carried_error(&location);
    assert_eq!(error["field"], "content", "{error}");
    assert_eq!(error["message"], "Choose a file to upload.");
    let outputs = app
        .json(
            &ada,
            "runs/outputs",
            &[
                ("organization", "contoso"),
                ("resource_group", "vision"),
                ("workspace", "detector"),
                ("run", &run),
            ],
            StatusCode::OK,
        )
        .await;
    assert_eq!(outputs, serde_json::json!([]));
}

#[tokio::test]
async fn a_body_past_the_limit_is_refused_before_it_is_read_whole() {
    let (app, ada) = app_with_workspace().await;
    let run = new_run(&app, &ada).await;
    let page = format!("{WS_URL}/runs/{run}");
    let form = workspace_form()
        .text("run", run.clone())
        .part("content@file_name", file("huge.bin", vec![7u8; 25 * 1024 * 1024]));
    let response = app.submit_multipart(&ada, &page, "runs/upload_output", form).await;
    assert!(response.status().is_redirection());
    let error = carried_error(&location(&response));
    assert_eq!(error["field"], "content");
    assert_eq!(error["message"], "A file uploaded here has at most 8 MB.");

    // The app (not a page) gets the error itself.
    let form = workspace_form()
        .text("run", run.clone())
        .part("content@file_name", file("huge.bin", vec![7u8; 25 * 1024 * 1024]));
    let response = ada
        .post(app.url("/api/runs/upload_output"))
        .header("Sec-Fetch-Site", "same-origin")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_snapshot_archive_posted_by_a_plain_form_keeps_its_file_name() {
    let (app, ada) = app_with_workspace().await;
    let run = new_run(&app, &ada).await;
    let page = format!("{WS_URL}/runs/{run}/snapshot");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("train.py", zip::write::SimpleFileOptions::default()).unwrap();
    writer.write_all(b"print('training')\n").unwrap();
    let archive = writer.finish().unwrap().into_inner();
    let form = workspace_form()
        .text("run", run.clone())
        .part("content@archive_name", file("code.zip", archive));
    let response = app.submit_multipart(&ada, &page, "runs/upload_snapshot", form).await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), format!("{page}?done=%2Fapi%2Fruns%2Fupload_snapshot"));
    let view = app
        .json(
            &ada,
            "runs/snapshot",
            &[
                ("organization", "contoso"),
                ("resource_group", "vision"),
                ("workspace", "detector"),
                ("run", &run),
                ("file", "train.py"),
            ],
            StatusCode::OK,
        )
        .await;
    assert_eq!(view["snapshot"]["archive_name"], "code.zip");
    assert_eq!(view["open"]["content"]["Text"]["text"], "print('training')\n");
}

#[tokio::test]
async fn a_data_asset_file_posted_by_a_plain_form_becomes_a_version_with_a_preview() {
    let (app, ada) = app_with_workspace().await;
    let page = format!("{WS_URL}/datasets");
    // The page's hidden fields for the app arrive empty beside the file.
    let form = workspace_form()
        .text("name", "iris")
        .text("format", "csv")
        .text("file_name", "")
        .text("content", "")
        .text("uri", "")
        .text("description", "")
        .text("tags", "")
        .part("content@file_name", file("iris.csv", b"sepal,petal\n5.1,1.4\n".to_vec()));
    let response = app.submit_multipart(&ada, &page, "datasets/register", form).await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), format!("{WS_URL}/datasets/iris/versions/1"));
    let version = app
        .json(
            &ada,
            "datasets/version",
            &[
                ("organization", "contoso"),
                ("resource_group", "vision"),
                ("workspace", "detector"),
                ("dataset", "iris"),
                ("version", "1"),
            ],
            StatusCode::OK,
        )
        .await;
    assert_eq!(version["version"]["file_name"], "iris.csv");
    assert_eq!(version["version"]["size"], 20);
    assert_eq!(version["preview"]["Table"]["columns"], serde_json::json!(["sepal", "petal"]));
}
