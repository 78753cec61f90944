//! Environments: versions numbered per name, the latest listed and searched, versions deleted;
//! readers refused changes.

use reqwest::StatusCode;

use crate::helpers::app_with_workspace;

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
const WS_URL: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    WS.iter().copied().chain(extra.iter().copied()).collect()
}

#[tokio::test]
async fn registering_a_name_again_adds_the_next_version() {
    let (app, ada) = app_with_workspace().await;
    let spec = "name: train\ndependencies:\n  - scikit-learn=1.5";
    for (name, image) in [
        ("sklearn", "python:3.11-slim"),
        ("SKLEARN", "python:3.12-slim"),
        ("torch", "pytorch/pytorch:2.4"),
    ] {
        let form = with(&[("name", name), ("base_image", image), ("conda_spec", spec)]);
        assert_eq!(app.call(&ada, "environments/register", &form).await.status(), StatusCode::OK);
    }
    let bad = with(&[("name", "sklearn"), ("base_image", "python 3")]);
    let refused = app.call(&ada, "environments/register", &bad).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("one word"));

    let one = app
        .json(&ada, "environments/get", &with(&[("environment", "sklearn")]), StatusCode::OK)
        .await;
    let versions: Vec<(i64, &str)> = one["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["base_image"].as_str().unwrap()))
        .collect();
    assert_eq!(versions, [(2, "python:3.12-slim"), (1, "python:3.11-slim")]);
    assert_eq!(one["versions"][0]["name"], "sklearn", "the first spelling is kept");
    assert_eq!(one["versions"][0]["conda_spec"], spec);

    let all = app.json(&ada, "environments/list", &WS, StatusCode::OK).await;
    let latest: Vec<(&str, i64)> = all["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(latest, [("sklearn", 2), ("torch", 1)]);
    let searched =
        app.json(&ada, "environments/list", &with(&[("search", "PYTORCH")]), StatusCode::OK).await;
    assert_eq!(searched["environments"].as_array().unwrap().len(), 1);

    let rita = app.signed_in("Rita", "rita@example.com").await;
    crate::membership::give(&app, &ada, WS_URL, "rita@example.com", "Reader").await;
    let read = app.call(&rita, "environments/get", &with(&[("environment", "torch")])).await;
    assert_eq!(read.status(), StatusCode::OK);
    let form = with(&[("name", "torch"), ("base_image", "x")]);
    assert_eq!(
        app.call(&rita, "environments/register", &form).await.status(),
        StatusCode::FORBIDDEN
    );

    let delete = with(&[("environment", "sklearn"), ("version", "2")]);
    assert_eq!(
        app.call(&ada, "environments/delete_version", &delete).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.call(&ada, "environments/delete_version", &delete).await.status(),
        StatusCode::NOT_FOUND
    );
    let after = app.json(&ada, "environments/list", &WS, StatusCode::OK).await;
    assert_eq!(after["environments"][0]["version"], 1);
}
