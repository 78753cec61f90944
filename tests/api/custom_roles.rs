use reqwest::StatusCode;

use crate::helpers::{app_with_workspace, seed_003_role, TestApp};

const ORG: (&str, &str) = ("organization", "contoso");
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

async fn import(app: &TestApp, client: &reqwest::Client, json: &str) -> serde_json::Value {
    app.json(client, "roles/save", &[ORG, ("json", json)], StatusCode::OK).await
}

#[tokio::test]
async fn seed_003_imports_unchanged_and_its_holder_is_refused_what_it_excludes() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let saved = import(&app, &ada, &seed_003_role("vision", "detector")).await;
    assert_eq!(saved["unmatched"], serde_json::json!([]));

    crate::membership::give(&app, &ada, WS_SCOPE, "bob@example.com", "Data Scientist").await;

    let ws = app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(ws["card"]["roles"], serde_json::json!(["Data Scientist"]));
    let permitted = ws["permitted"].as_array().unwrap();
    for allowed in ["RunsSubmit", "ExperimentsWrite", "ModelsWrite", "DatasetsRead", "ComputesRead"]
    {
        assert!(permitted.contains(&serde_json::json!(allowed)), "{allowed}");
    }
    for refused in ["ComputesWrite", "ComputesDelete", "WorkspacesDelete", "RoleAssignmentsWrite"] {
        assert!(!permitted.contains(&serde_json::json!(refused)), "{refused}");
    }
    let delete = [WS[0], WS[1], WS[2], ("confirm_name", "detector")];
    app.json(&bob, "workspaces/delete", &delete, StatusCode::FORBIDDEN).await;
    let grant_other = [("scope", WS_SCOPE), ("email", "ada@example.com"), ("role", "Reader")];
    app.json(&bob, "access/grant", &grant_other, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_custom_role_is_assignable_only_within_its_scopes() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    import(&app, &ada, &seed_003_role("vision", "detector")).await;
    let at_org = [
        ("scope", "/organizations/contoso"),
        ("email", "bob@example.com"),
        ("role", "Data Scientist"),
    ];
    let refused = app.json(&ada, "access/grant", &at_org, StatusCode::BAD_REQUEST).await;
    assert_eq!(refused["field"], "role");
    let view =
        app.json(&ada, "access/get", &[("scope", "/organizations/contoso")], StatusCode::OK).await;
    assert!(!view["roles"].as_array().unwrap().iter().any(|r| r["name"] == "Data Scientist"));
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    assert!(view["roles"].as_array().unwrap().iter().any(|r| r["name"] == "Data Scientist"));
}

#[tokio::test]
async fn a_role_in_use_cannot_be_deleted_and_says_who_holds_it() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    import(&app, &ada, &seed_003_role("vision", "detector")).await;
    crate::membership::give(&app, &ada, WS_SCOPE, "bob@example.com", "Data Scientist").await;

    let refused = app
        .json(&ada, "roles/delete", &[ORG, ("name", "Data Scientist")], StatusCode::CONFLICT)
        .await;
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains(
            "bob@example.com at /organizations/contoso/resourceGroups/vision/workspaces/detector"
        ),
        "{message}"
    );

    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let id = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "bob@example.com")
        .unwrap()["id"]
        .to_string();
    app.call(&ada, "access/remove", &[("scope", WS_SCOPE), ("assignment", &id)]).await;
    assert_eq!(
        app.call(&ada, "roles/delete", &[ORG, ("name", "Data Scientist")]).await.status(),
        StatusCode::OK
    );
    let list = app.json(&ada, "roles/list", &[ORG], StatusCode::OK).await;
    assert_eq!(list["roles"].as_array().unwrap().len(), 5, "only the built-in roles remain");
}

#[tokio::test]
async fn nobody_gives_a_role_that_allows_more_than_their_own() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    crate::membership::confirmed_by_admin(&app, &ada, &bob).await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let admin = r#"{"Name": "Access admin", "Description": "Manages who has access",
        "Actions": ["Microsoft.MachineLearningServices/workspaces/read", "Microsoft.Authorization/roleAssignments/*"],
        "AssignableScopes": ["/organizations/contoso"]}"#;
    import(&app, &ada, admin).await;
    crate::membership::give(&app, &ada, WS_SCOPE, "carol@example.com", "Access admin").await;
    // Bob belongs to the organization, so he is granted rather than invited.
    crate::membership::give(&app, &ada, "/organizations/contoso", "bob@example.com", "Reader")
        .await;

    let reader = [("scope", WS_SCOPE), ("email", "bob@example.com"), ("role", "Reader")];
    let refused = app.json(&carol, "access/grant", &reader, StatusCode::FORBIDDEN).await;
    assert!(
        refused["message"].as_str().unwrap().contains("allows what your own role does not"),
        "{refused}"
    );
    let same = [("scope", WS_SCOPE), ("email", "bob@example.com"), ("role", "Access admin")];
    assert_eq!(app.call(&carol, "access/grant", &same).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn roles_export_as_seed_003_json_and_typos_are_flagged() {
    let (app, ada) = app_with_workspace().await;
    let typo = r#"{"Name": "Watcher", "Actions": ["Microsoft.MachineLearningServices/workspaces/experimnets/read"],
        "AssignableScopes": ["/organizations/contoso"]}"#;
    let saved = import(&app, &ada, typo).await;
    assert_eq!(
        saved["unmatched"],
        serde_json::json!(["Microsoft.MachineLearningServices/workspaces/experimnets/read"])
    );

    let form = [
        ORG,
        ("name", "Runner"),
        ("description", "Submits runs"),
        ("actions", "Microsoft.MachineLearningServices/workspaces/*/read\nMicrosoft.MachineLearningServices/workspaces/experiments/runs/submit/action"),
        ("not_actions", ""),
        ("assignable_scopes", "/organizations/contoso/resourceGroups/vision"),
    ];
    app.json(&ada, "roles/save", &form, StatusCode::OK).await;
    let list = app.json(&ada, "roles/list", &[ORG], StatusCode::OK).await;
    let runner =
        list["roles"].as_array().unwrap().iter().find(|r| r["name"] == "Runner").unwrap().clone();
    assert_eq!(
        runner["assignable_scopes"],
        serde_json::json!(["/organizations/contoso/resourceGroups/vision"])
    );

    let bad =
        [ORG, ("name", "Owner"), ("actions", "*"), ("assignable_scopes", "/organizations/contoso")];
    let error = app.json(&ada, "roles/save", &bad, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["field"], "name");
    let elsewhere = [
        ORG,
        ("name", "Spy"),
        ("actions", "*/read"),
        ("assignable_scopes", "/organizations/fabrikam"),
    ];
    let error = app.json(&ada, "roles/save", &elsewhere, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["field"], "assignable_scopes");
}

#[tokio::test]
async fn check_access_explains_every_action_for_a_person() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    import(&app, &ada, &seed_003_role("vision", "detector")).await;
    crate::membership::give(&app, &ada, WS_SCOPE, "bob@example.com", "Data Scientist").await;

    let check = app
        .json(
            &ada,
            "access/check",
            &[("scope", WS_SCOPE), ("email", "bob@example.com")],
            StatusCode::OK,
        )
        .await;
    assert_eq!(check["roles"], serde_json::json!([format!("Data Scientist at {WS_SCOPE}")]));
    let find = |action: &str| {
        check["checks"].as_array().unwrap().iter().find(|c| c["action"] == action).unwrap().clone()
    };
    let submit =
        find("Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action");
    assert_eq!(submit["allowed"], true);
    assert_eq!(submit["reason"], format!("Data Scientist at {WS_SCOPE} grants it (*)"));
    let delete = find("Microsoft.MachineLearningServices/workspaces/delete");
    assert_eq!(delete["allowed"], false);
    assert_eq!(delete["reason"], "Data Scientist takes it back (NotActions Microsoft.MachineLearningServices/workspaces/*/delete)");
}
