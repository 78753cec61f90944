//! Code snapshots over HTTP: an archive unpacked once per run, its tree listed, its files read,
//! bad archives refused with a reason and nothing kept, files removed with the run.

use std::io::Write;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, walk, TestApp};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

fn zip_of(entries: &[(&str, &[u8])]) -> String {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(bytes).unwrap();
    }
    STANDARD.encode(writer.finish().unwrap().into_inner())
}

fn tar_gz_of(entries: &[(&str, &[u8])]) -> String {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    STANDARD.encode(builder.into_inner().unwrap().finish().unwrap())
}

/// Creates experiment `mnist` and a run in it with `entry_point`; returns the run's id.
async fn run_with_entry_point(app: &TestApp, client: &Client, entry_point: &str) -> String {
    let created = app.call(client, "experiments/create", &with(&[("name", "mnist")])).await;
    assert!(created.status() == StatusCode::OK || created.status() == StatusCode::CONFLICT);
    let form = with(&[("experiment", "mnist"), ("entry_point", entry_point)]);
    let response = app.call(client, "runs/create", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().to_owned()
}

async fn upload(
    app: &TestApp,
    client: &Client,
    run: &str,
    name: &str,
    content: &str,
) -> reqwest::Response {
    let form = with(&[("run", run), ("archive_name", name), ("content", content)]);
    app.call(client, "runs/upload_snapshot", &form).await
}

async fn snapshot(
    app: &TestApp,
    client: &Client,
    run: &str,
    file: &str,
    status: StatusCode,
) -> Value {
    app.json(client, "runs/snapshot", &with(&[("run", run), ("file", file)]), status).await
}

fn paths(view: &Value) -> Vec<&str> {
    view["files"].as_array().unwrap().iter().map(|f| f[0].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_snapshot_is_unpacked_once_listed_and_read() {
    let (app, ada) = app_with_workspace().await;
    let run = run_with_entry_point(&app, &ada, "python src/train.py --epochs 3").await;
    let empty = snapshot(&app, &ada, &run, "", StatusCode::OK).await;
    assert!(empty["snapshot"].is_null());
    assert!(empty["files"].as_array().unwrap().is_empty());

    let archive = tar_gz_of(&[
        ("./src/train.py", b"import model\nprint('training')\n"),
        ("./src/model.py", b"class Net:\n    pass\n"),
        ("./README.md", "# Digits — \u{e9}t\u{e9}\n".as_bytes()),
        ("./weights.bin", b"\x00\x01\x02\x03"),
    ]);
    assert_eq!(upload(&app, &ada, &run, "code.tar.gz", &archive).await.status(), StatusCode::OK);

    // Without a choice, the entry point's file is open.
    let view = snapshot(&app, &ada, &run, "", StatusCode::OK).await;
    assert_eq!(view["snapshot"]["archive_name"], "code.tar.gz");
    assert_eq!(view["snapshot"]["file_count"], 4);
    assert_eq!(paths(&view), ["README.md", "src/model.py", "src/train.py", "weights.bin"]);
    assert_eq!(view["open"]["path"], "src/train.py");
    assert_eq!(view["open"]["content"]["Text"]["text"], "import model\nprint('training')\n");

    let readme = snapshot(&app, &ada, &run, "README.md", StatusCode::OK).await;
    assert_eq!(readme["open"]["content"]["Text"]["text"], "# Digits — été\n");
    let binary = snapshot(&app, &ada, &run, "weights.bin", StatusCode::OK).await;
    assert_eq!(binary["open"]["content"], "Binary");
    assert_eq!(binary["open"]["size"], 4);
    // Only listed files open, whatever path is asked for.
    snapshot(&app, &ada, &run, "../../atelier.db", StatusCode::NOT_FOUND).await;
    snapshot(&app, &ada, &run, "src", StatusCode::NOT_FOUND).await;

    // The snapshot is what the run ran with: never replaced.
    let again = upload(&app, &ada, &run, "code.zip", &zip_of(&[("other.py", b"x")])).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("already has a code snapshot"));
    assert_eq!(paths(&snapshot(&app, &ada, &run, "", StatusCode::OK).await).len(), 4);

    let run_view = app.json(&ada, "runs/get", &with(&[("run", &run)]), StatusCode::OK).await;
    assert_eq!(run_view["snapshot"]["file_count"], 4);
    assert_eq!(run_view["activity"][0]["what"], "stored the code snapshot code.tar.gz");
}

#[tokio::test]
async fn bad_archives_are_refused_with_a_reason_and_leave_nothing() {
    let (app, ada) = app_with_workspace().await;
    let run = run_with_entry_point(&app, &ada, "train.py").await;
    let cases = [
        ("code.zip", STANDARD.encode(b"not a zip at all"), "damaged"),
        ("code.rar", zip_of(&[("a.py", b"1")]), ".zip, .tar.gz"),
        ("code.zip", zip_of(&[("../../escape.py", b"1")]), "cannot be kept"),
        ("code.tgz", tar_gz_of(&[("a.py", b"1"), ("./a.py", b"2")]), "a.py twice"),
        ("code.zip", "%%%".to_owned(), "did not arrive intact"),
        ("code.zip", String::new(), "Choose a file"),
    ];
    for (name, content, said) in cases {
        let response = upload(&app, &ada, &run, name, &content).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name} {said}");
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains(said), "{body}");
        assert!(body["field"] == "archive_name" || body["field"] == "content", "{body}");
    }
    assert!(snapshot(&app, &ada, &run, "", StatusCode::OK).await["snapshot"].is_null());
    let on_disk = app.state.settings.data_dir.join("workspaces");
    assert!(walk(&on_disk).is_empty(), "nothing half-written: {:?}", walk(&on_disk));

    // The same run still takes a good one afterwards.
    let good = zip_of(&[("train.py", b"print(1)\n")]);
    assert_eq!(upload(&app, &ada, &run, "code.zip", &good).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn readers_read_snapshots_others_find_nothing_and_files_go_with_the_run() {
    let (app, ada) = app_with_workspace().await;
    let run = run_with_entry_point(&app, &ada, "train.py").await;
    let archive = zip_of(&[("train.py", b"print(1)\n"), ("conf/base.yaml", b"lr: 0.1\n")]);
    assert_eq!(upload(&app, &ada, &run, "code.zip", &archive).await.status(), StatusCode::OK);

    let rita = app.signed_in("Rita", "rita@example.com").await;
    crate::membership::give(&app, &ada, WS_SCOPE, "rita@example.com", "Reader").await;
    let seen = snapshot(&app, &rita, &run, "conf/base.yaml", StatusCode::OK).await;
    assert_eq!(seen["open"]["content"]["Text"]["text"], "lr: 0.1\n");
    let other_run = run_with_entry_point(&app, &ada, "train.py").await;
    assert_eq!(
        upload(&app, &rita, &other_run, "code.zip", &archive).await.status(),
        StatusCode::FORBIDDEN
    );

    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    snapshot(&app, &mallory, &run, "train.py", StatusCode::NOT_FOUND).await;
    assert_eq!(
        upload(&app, &mallory, &other_run, "code.zip", &archive).await.status(),
        StatusCode::NOT_FOUND
    );

    let on_disk = app.state.settings.data_dir.join("workspaces");
    assert_eq!(walk(&on_disk).len(), 2);
    let delete = with(&[("run", &run)]);
    assert_eq!(app.call(&ada, "runs/delete", &delete).await.status(), StatusCode::OK);
    assert!(walk(&on_disk).is_empty(), "the snapshot's files go with the run");
    snapshot(&app, &ada, &run, "", StatusCode::NOT_FOUND).await;
}
