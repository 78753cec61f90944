//! Datastores and run outputs: the default datastore every workspace has, S3 credentials
//! stored sealed and shown only to those allowed, and files a run wrote, stored, downloaded
//! through the same authorization, and removed with their run.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{app_with_workspace, client, walk};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_URL: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

#[tokio::test]
async fn credentials_are_sealed_and_shown_only_to_those_allowed() {
    let (app, ada) = app_with_workspace().await;
    let listed = app.json(&ada, "datastores/list", &WS, StatusCode::OK).await;
    assert_eq!(listed["datastores"][0]["name"], "workspaceblobstore");
    assert_eq!(listed["datastores"][0]["is_default"], true);

    let bad = app.call(&ada, "datastores/create", &with(&[("name", "Lake"), ("kind", "s3")])).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("lowercase letters"));
    let half =
        with(&[("name", "lake"), ("kind", "s3"), ("bucket", "ml-data"), ("access_key_id", "AKIA")]);
    assert_eq!(app.call(&ada, "datastores/create", &half).await.status(), StatusCode::BAD_REQUEST);
    let secret = "wJalrXUtnFEMI/K7MDENG";
    let lake = with(&[
        ("name", "lake"),
        ("kind", "s3"),
        ("bucket", "ml-data"),
        ("endpoint", "https://minio.example.com"),
        ("access_key_id", "AKIAEXAMPLE"),
        ("secret_access_key", secret),
    ]);
    assert_eq!(app.call(&ada, "datastores/create", &lake).await.status(), StatusCode::OK);
    let listed = app.call(&ada, "datastores/list", &WS).await.text().await.unwrap();
    assert!(!listed.contains(secret) && !listed.contains("AKIAEXAMPLE"), "{listed}");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["datastores"][1]["has_credentials"], true);

    let stored: String =
        sqlx::query_scalar("SELECT sealed_secret FROM datastores WHERE name = 'lake'")
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
    assert!(!stored.contains(secret));
    let shown =
        app.json(&ada, "datastores/secrets", &with(&[("datastore", "lake")]), StatusCode::OK).await;
    assert_eq!(shown["secret_access_key"], secret);

    let rita = app.signed_in("Rita", "rita@example.com").await;
    crate::membership::give(&app, &ada, WS_URL, "rita@example.com", "Reader").await;
    assert_eq!(app.call(&rita, "datastores/list", &WS).await.status(), StatusCode::OK);
    let refused = app.call(&rita, "datastores/secrets", &with(&[("datastore", "lake")])).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The datastore's page: its fields, never its secret, and who registered it and read the
    // credentials; a Reader sees it, a stranger and other names find nothing.
    let page =
        app.json(&rita, "datastores/get", &with(&[("datastore", "lake")]), StatusCode::OK).await;
    assert_eq!(page["datastore"]["bucket"], "ml-data");
    assert_eq!(page["datastore"]["has_credentials"], true);
    assert!(!page.to_string().contains(secret) && !page.to_string().contains("AKIAEXAMPLE"));
    let events: Vec<&str> =
        page["activity"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        ["read the stored credentials", "registered the s3 datastore with credentials"]
    );
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    let stranger = app.call(&mallory, "datastores/get", &with(&[("datastore", "lake")])).await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    let other = app.call(&ada, "datastores/get", &with(&[("datastore", "pond")])).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);

    let default = with(&[("datastore", "workspaceblobstore")]);
    assert_eq!(app.call(&ada, "datastores/delete", &default).await.status(), StatusCode::CONFLICT);
    let lake = app.call(&ada, "datastores/delete", &with(&[("datastore", "lake")])).await;
    assert_eq!(lake.status(), StatusCode::OK);
    let activity = app.json(&ada, "access/activity", &[("scope", WS_URL)], StatusCode::OK).await;
    let text = activity.to_string();
    assert!(text.contains("datastores/listsecrets/action"), "{text}");
    assert!(!text.contains(secret));
}

#[tokio::test]
async fn a_runs_outputs_are_stored_downloaded_and_removed_with_it() {
    let (app, ada) = app_with_workspace().await;
    let created = app.call(&ada, "experiments/create", &with(&[("name", "mnist")])).await;
    assert_eq!(created.status(), StatusCode::OK);
    let submitted = app.call(&ada, "runs/create", &with(&[("experiment", "mnist")])).await;
    let location = submitted.headers()["location"].to_str().unwrap().to_owned();
    let run = location.rsplit('/').next().unwrap().to_owned();

    // "model weights\n" in base64.
    let upload = with(&[
        ("run", &run),
        ("path", "outputs/model v1.bin"),
        ("content", "bW9kZWwgd2VpZ2h0cwo="),
    ]);
    assert_eq!(app.call(&ada, "runs/upload_output", &upload).await.status(), StatusCode::OK);
    for (path, content) in [("../escape.txt", "eA=="), ("outputs/a.txt", "not base64!")] {
        let bad = with(&[("run", &run), ("path", path), ("content", content)]);
        assert_eq!(
            app.call(&ada, "runs/upload_output", &bad).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    let outputs = app.json(&ada, "runs/outputs", &with(&[("run", &run)]), StatusCode::OK).await;
    assert_eq!(outputs[0]["path"], "outputs/model v1.bin");
    assert_eq!(outputs[0]["size"], 14);

    let url = app.url(&format!("/files{WS_URL}/runs/{run}/outputs/outputs/model%20v1.bin"));
    let download = ada.get(&url).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, "attachment; filename=\"model_v1.bin\"");
    assert_eq!(download.text().await.unwrap(), "model weights\n");
    assert_eq!(client().get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    assert_eq!(mallory.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    let on_disk = app.state.settings.data_dir.join("workspaces");
    let files = |dir: &std::path::Path| walk(dir);
    assert_eq!(files(&on_disk).len(), 1, "one stored file");
    assert_eq!(
        app.call(&ada, "runs/delete", &with(&[("run", &run)])).await.status(),
        StatusCode::OK
    );
    assert!(files(&on_disk).is_empty(), "the run's files are removed with it");
    assert_eq!(ada.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
