use reqwest::StatusCode;

use crate::helpers::app_with_workspace;

const ORG: (&str, &str) = ("organization", "contoso");
const GROUP: (&str, &str) = ("resource_group", "vision");
const WS: (&str, &str) = ("workspace", "detector");

#[tokio::test]
async fn settings_change_and_bad_tags_are_refused_whole() {
    let (app, ada) = app_with_workspace().await;

    let form = [
        ORG,
        GROUP,
        WS,
        ("display_name", "Detector (v2)"),
        ("description", "Boxes"),
        ("tags", "team=vision\nstage=beta"),
    ];
    assert_eq!(app.call(&ada, "workspaces/update", &form).await.status(), StatusCode::OK);
    let ws = app.json(&ada, "workspaces/get", &[ORG, GROUP, WS], StatusCode::OK).await;
    assert_eq!(ws["card"]["display_name"], "Detector (v2)");
    assert_eq!(ws["tags"], serde_json::json!([["team", "vision"], ["stage", "beta"]]));

    let bad =
        [ORG, GROUP, WS, ("display_name", "Renamed"), ("description", ""), ("tags", "a=1\nA=2")];
    let error = app.json(&ada, "workspaces/update", &bad, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["field"], "tags");
    let ws = app.json(&ada, "workspaces/get", &[ORG, GROUP, WS], StatusCode::OK).await;
    assert_eq!(ws["card"]["display_name"], "Detector (v2)", "nothing half-written");
}

#[tokio::test]
async fn delete_needs_the_typed_name_then_restore_brings_it_back() {
    let (app, ada) = app_with_workspace().await;

    let wrong = app
        .json(
            &ada,
            "workspaces/delete",
            &[ORG, GROUP, WS, ("confirm_name", "detecter")],
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(wrong["field"], "confirm_name");

    let deleted =
        app.call(&ada, "workspaces/delete", &[ORG, GROUP, WS, ("confirm_name", "detector")]).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    app.json(&ada, "workspaces/get", &[ORG, GROUP, WS], StatusCode::NOT_FOUND).await;
    let mine = app.json(&ada, "workspaces/mine", &[], StatusCode::OK).await;
    assert!(mine.as_array().unwrap().is_empty());
    let group = app.json(&ada, "resource_groups/get", &[ORG, GROUP], StatusCode::OK).await;
    assert_eq!(group["deleted_workspaces"][0]["name"], "detector");
    assert!(group["deleted_workspaces"][0]["purge_after"].as_i64().unwrap() > 0);

    // The name stays reserved while the workspace can come back.
    let clash = app.create_workspace(&ada, "contoso/vision", "", "detector").await;
    assert_eq!(clash.status(), StatusCode::CONFLICT);

    assert_eq!(
        app.call(&ada, "workspaces/restore", &[ORG, GROUP, WS]).await.status(),
        StatusCode::OK
    );
    let ws = app.json(&ada, "workspaces/get", &[ORG, GROUP, WS], StatusCode::OK).await;
    assert_eq!(ws["card"]["roles"], serde_json::json!(["Owner"]));
}

#[tokio::test]
async fn a_group_with_workspaces_cannot_be_deleted_until_they_are_purged() {
    let (app, ada) = app_with_workspace().await;

    let refused =
        app.json(&ada, "resource_groups/delete", &[ORG, GROUP], StatusCode::CONFLICT).await;
    assert!(refused["message"].as_str().unwrap().contains("1 workspace"), "{refused}");

    app.call(&ada, "workspaces/delete", &[ORG, GROUP, WS, ("confirm_name", "detector")]).await;
    let still = app.json(&ada, "resource_groups/delete", &[ORG, GROUP], StatusCode::CONFLICT).await;
    assert!(still["message"].as_str().unwrap().contains("purge"), "{still}");

    // Purging works only on deleted workspaces, and frees the name.
    assert_eq!(
        app.call(&ada, "workspaces/purge", &[ORG, GROUP, WS]).await.status(),
        StatusCode::OK
    );
    let group = app.json(&ada, "resource_groups/get", &[ORG, GROUP], StatusCode::OK).await;
    assert!(group["deleted_workspaces"].as_array().unwrap().is_empty());
    assert_eq!(
        app.call(&ada, "workspaces/purge", &[ORG, GROUP, WS]).await.status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        app.call(&ada, "resource_groups/delete", &[ORG, GROUP]).await.status(),
        StatusCode::OK
    );
    app.json(&ada, "resource_groups/get", &[ORG, GROUP], StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_live_workspace_cannot_be_purged_or_restored() {
    let (app, ada) = app_with_workspace().await;
    assert_eq!(
        app.call(&ada, "workspaces/purge", &[ORG, GROUP, WS]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(&ada, "workspaces/restore", &[ORG, GROUP, WS]).await.status(),
        StatusCode::NOT_FOUND
    );
    app.json(&ada, "workspaces/get", &[ORG, GROUP, WS], StatusCode::OK).await;
}
