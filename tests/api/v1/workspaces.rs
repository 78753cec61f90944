use reqwest::StatusCode;
use serde_json::json;

use super::support::{delete, error, get, post};
use crate::helpers::app_with_workspace;
use crate::tracking_support::token;

const GROUP: &str = "/organizations/contoso/resourceGroups/vision";

#[tokio::test]
async fn a_token_creates_shows_lists_and_deletes_a_workspace_with_seed_001s_fields() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "admin", "everything", false).await;
    let new = json!({
        "name": "mnist",
        "display_name": "MNIST classifier",
        "description": "Digits, seed 001's example",
        "environment": "test",
        "tags": {"team": "vision", "cost-center": "42"},
    });
    let (status, created) = post(&app, &secret, &format!("{GROUP}/workspaces"), new).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["id"], format!("{GROUP}/workspaces/mnist"));
    assert_eq!(created["display_name"], "MNIST classifier");
    assert_eq!(created["environment"], "test");
    assert_eq!(created["tags"], json!({"cost-center": "42", "team": "vision"}));
    assert_eq!(created["your_roles"], json!(["Owner"]));
    assert!(created["tracking_uri"].as_str().unwrap().ends_with("/workspaces/mnist"));

    let (status, shown) = get(&app, &secret, &format!("{GROUP}/workspaces/mnist")).await;
    assert_eq!((status, &shown), (StatusCode::OK, &created));

    let (status, page) = get(&app, &secret, "/workspaces?limit=1").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().expect("a second page").to_owned();
    let (_, rest) = get(&app, &secret, &format!("/workspaces?limit=1&cursor={cursor}")).await;
    let names: Vec<_> = [&page, &rest].iter().map(|p| p["items"][0]["name"].clone()).collect();
    assert_eq!(names, [json!("detector"), json!("mnist")]);
    assert!(rest["next_cursor"].is_null());

    let (status, body) = delete(&app, &secret, &format!("{GROUP}/workspaces/mnist")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let gone = get(&app, &secret, &format!("{GROUP}/workspaces/mnist")).await;
    error(&gone, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn bad_fields_name_the_field_and_create_nothing() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "admin", "everything", false).await;
    let path = format!("{GROUP}/workspaces");
    let answer = post(&app, &secret, &path, json!({"name": "x"})).await;
    error(&answer, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(answer.1["field"], "name");
    let answer =
        post(&app, &secret, &path, json!({"name": "ok-name", "environment": "staging"})).await;
    error(&answer, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(answer.1["field"], "environment");
    let answer = post(&app, &secret, &path, json!({"name": "ok-name", "colour": "red"})).await;
    let message = error(&answer, StatusCode::BAD_REQUEST, "invalid");
    assert!(message.contains("colour"), "{message}");
    let answer = post(&app, &secret, &path, json!({"name": "detector"})).await;
    error(&answer, StatusCode::CONFLICT, "conflict");
    let (_, page) = get(&app, &secret, "/workspaces").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
}

#[tokio::test]
async fn tokens_limits_hold_on_the_management_api() {
    let (app, ada) = app_with_workspace().await;
    let read_only = token(&app, &ada, "reader", "everything", true).await;
    let path = format!("{GROUP}/workspaces");
    let answer = post(&app, &read_only, &path, json!({"name": "mnist"})).await;
    let message = error(&answer, StatusCode::FORBIDDEN, "forbidden");
    assert!(message.contains("read-only"), "{message}");
    let (status, _) = get(&app, &read_only, &format!("{GROUP}/workspaces/detector")).await;
    assert_eq!(status, StatusCode::OK);

    let bad = get(&app, "atl_0000000000000000000000000000000000000000", "/workspaces").await;
    error(&bad, StatusCode::UNAUTHORIZED, "unauthenticated");
    let none =
        crate::tracking_support::script().get(app.url("/api/v1/workspaces")).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let unknown = get(&app, &read_only, "/no-such-thing").await;
    error(&unknown, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_signed_in_browser_calls_the_api_under_the_cross_site_rule() {
    let (app, ada) = app_with_workspace().await;
    let (status, page) = {
        let response = ada.get(app.url("/api/v1/workspaces")).send().await.unwrap();
        (response.status(), response.json::<serde_json::Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"][0]["name"], "detector");
    let cross_site = ada
        .delete(app.url(&format!("/api/v1{GROUP}/workspaces/detector")))
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let (status, _) = {
        let response =
            ada.get(app.url(&format!("/api/v1{GROUP}/workspaces/detector"))).send().await.unwrap();
        (response.status(), ())
    };
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn organizations_and_resource_groups_are_listed_made_and_deleted() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "admin", "everything", false).await;
    let (_, orgs) = get(&app, &secret, "/organizations").await;
    assert_eq!(orgs["items"][0]["name"], "contoso");
    let (status, org) = get(&app, &secret, "/organizations/contoso").await;
    assert_eq!((status, &org["your_roles"]), (StatusCode::OK, &json!(["Owner"])), "{org}");
    let groups = "/organizations/contoso/resourceGroups";
    let (status, created) = post(&app, &secret, groups, json!({"name": "my_resource_group"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["id"], format!("{groups}/my_resource_group"));
    error(
        &post(&app, &secret, groups, json!({"name": "My_Resource_Group"})).await,
        StatusCode::CONFLICT,
        "conflict",
    );
    let bad = post(&app, &secret, groups, json!({"name": "ends."})).await;
    assert_eq!(bad.1["field"], "name", "{}", bad.1);
    let (_, listed) = get(&app, &secret, groups).await;
    let names: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["my_resource_group", "vision"]);
    let busy = delete(&app, &secret, &format!("{groups}/vision")).await;
    error(&busy, StatusCode::CONFLICT, "conflict");
    let (status, _) = delete(&app, &secret, &format!("{groups}/my_resource_group")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    error(&get(&app, &secret, "/organizations/fabrikam").await, StatusCode::NOT_FOUND, "not_found");
}
