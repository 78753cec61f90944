//! Someone with no role in a workspace learns nothing about it: every server function and
//! page answers exactly as for a workspace that does not exist.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp};

const ORG: (&str, &str) = ("organization", "contoso");
const GROUP: (&str, &str) = ("resource_group", "vision");
const WS: (&str, &str) = ("workspace", "detector");
const WS_PATH: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

/// Every tenant server function, called on the fixture's organization, group and workspace.
fn calls() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("organizations/get", vec![ORG]),
        ("organizations/rename", vec![ORG, ("name", "Mine now")]),
        ("resource_groups/get", vec![ORG, GROUP]),
        ("resource_groups/create", vec![ORG, ("name", "intruder")]),
        ("resource_groups/rename", vec![ORG, GROUP, ("name", "renamed")]),
        ("resource_groups/delete", vec![ORG, GROUP]),
        ("workspaces/get", vec![ORG, GROUP, WS]),
        ("workspaces/frame", vec![ORG, GROUP, WS]),
        (
            "workspaces/update",
            vec![ORG, GROUP, WS, ("display_name", "x"), ("description", ""), ("tags", "")],
        ),
        ("workspaces/delete", vec![ORG, GROUP, WS, ("confirm_name", "detector")]),
        ("workspaces/restore", vec![ORG, GROUP, WS]),
        ("workspaces/purge", vec![ORG, GROUP, WS]),
        ("workspaces/set_up_project", vec![ORG, ("project", "sneaky"), ("description", "")]),
        ("access/get", vec![("scope", WS_PATH)]),
        (
            "access/grant",
            vec![("scope", WS_PATH), ("email", "mallory@example.com"), ("role", "Owner")],
        ),
        ("access/change", vec![("scope", WS_PATH), ("assignment", "1"), ("role", "Reader")]),
        ("access/remove", vec![("scope", WS_PATH), ("assignment", "1")]),
        ("access/activity", vec![("scope", WS_PATH)]),
        ("access/get", vec![("scope", "/organizations/contoso")]),
        ("roles/list", vec![ORG]),
        (
            "roles/save",
            vec![
                ORG,
                ("name", "Spy"),
                ("actions", "*"),
                ("assignable_scopes", "/organizations/contoso"),
            ],
        ),
        ("roles/delete", vec![ORG, ("name", "Spy")]),
        (
            "workspaces/create",
            vec![
                ("placement", "contoso/vision"),
                ("new_resource_group", ""),
                ("name", "sneaky"),
                ("display_name", ""),
                ("environment", "test"),
                ("description", ""),
                ("tags", ""),
            ],
        ),
    ]
}

fn pages() -> [&'static str; 3] {
    [
        "/organizations/contoso",
        "/organizations/contoso/resourceGroups/vision",
        "/organizations/contoso/resourceGroups/vision/workspaces/detector",
    ]
}

async fn fixture() -> (TestApp, reqwest::Client, reqwest::Client) {
    let app = spawn_app().await;
    let owner = app.signed_in("Ada", "ada@example.com").await;
    app.workspace_fixture(&owner, "contoso", "vision", "detector").await;
    let stranger = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&stranger, "mallory-inc", "stuff", "things").await;
    (app, owner, stranger)
}

#[tokio::test]
async fn a_person_without_a_role_gets_not_found_from_every_server_function() {
    let (app, owner, stranger) = fixture().await;
    for (endpoint, form) in calls() {
        let response = app.call(&stranger, endpoint, &form).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{endpoint}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["message"], "Not found.", "{endpoint}");
    }
    // Nothing changed.
    let ws = app.json(&owner, "workspaces/get", &[ORG, GROUP, WS], StatusCode::OK).await;
    assert_eq!(ws["card"]["display_name"], "detector");
}

#[tokio::test]
async fn a_hidden_workspace_answers_exactly_like_a_missing_one() {
    let (app, _owner, stranger) = fixture().await;
    let hidden = app.call(&stranger, "workspaces/get", &[ORG, GROUP, WS]).await;
    let missing = app.call(&stranger, "workspaces/get", &[ORG, GROUP, ("workspace", "nope")]).await;
    assert_eq!(hidden.status(), missing.status());
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());
}

#[tokio::test]
async fn lists_never_show_what_a_person_cannot_read() {
    let (app, _owner, stranger) = fixture().await;
    let mine = app.json(&stranger, "workspaces/mine", &[], StatusCode::OK).await;
    let names: Vec<&str> =
        mine.as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["things"]);
    let orgs = app.json(&stranger, "organizations/list", &[], StatusCode::OK).await;
    assert_eq!(orgs["organizations"].as_array().unwrap().len(), 1);
    let options = app.json(&stranger, "workspaces/creation_options", &[], StatusCode::OK).await;
    assert_eq!(options["organizations"][0]["slug"], "mallory-inc");
    assert_eq!(options["organizations"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_page_of_a_hidden_workspace_is_a_404() {
    let (app, owner, stranger) = fixture().await;
    for page in pages() {
        let response = stranger.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{page}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("detector") && !body.contains("Image models"), "{page} leaks");
        let own = owner.get(app.url(page)).send().await.unwrap();
        assert_eq!(own.status(), StatusCode::OK, "{page} for its owner");
    }
}
