use reqwest::StatusCode;

use crate::helpers::{app_with_workspace, TestApp};

const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const ORG_SCOPE: &str = "/organizations/contoso";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

/// Grants as `client`: at once to a member, by invitation (accepted) to anyone else.
async fn grant(
    app: &TestApp,
    client: &reqwest::Client,
    scope: &str,
    email: &str,
    role: &str,
) -> StatusCode {
    crate::membership::grant(app, client, scope, email, role).await
}

/// The id of `email`'s assignment made at `scope`.
async fn assignment_id(
    app: &TestApp,
    client: &reqwest::Client,
    scope: &str,
    email: &str,
) -> String {
    let view = app.json(client, "access/get", &[("scope", scope)], StatusCode::OK).await;
    view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email && a["inherited"] == false)
        .map(|a| a["id"].to_string())
        .expect("an assignment at this scope")
}

#[tokio::test]
async fn a_reader_sees_the_workspace_but_changes_nothing_until_removed() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;

    assert_eq!(grant(&app, &ada, WS_SCOPE, "BOB@example.com", "Reader").await, StatusCode::OK);
    let ws = app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(ws["card"]["roles"], serde_json::json!(["Reader"]));
    assert!(!ws["permitted"].as_array().unwrap().contains(&serde_json::json!("WorkspacesWrite")));
    let mine = app.json(&bob, "workspaces/mine", &[], StatusCode::OK).await;
    assert_eq!(mine[0]["name"], "detector");

    let update = [WS[0], WS[1], WS[2], ("display_name", "Mine"), ("description", ""), ("tags", "")];
    let refused = app.json(&bob, "workspaces/update", &update, StatusCode::FORBIDDEN).await;
    assert!(refused["message"].as_str().unwrap().contains("does not allow"), "{refused}");
    assert_eq!(
        grant(&app, &bob, WS_SCOPE, "bob@example.com", "Owner").await,
        StatusCode::FORBIDDEN
    );

    // Removal takes effect on Bob's very next request, same session.
    let id = assignment_id(&app, &ada, WS_SCOPE, "bob@example.com").await;
    let removed =
        app.call(&ada, "access/remove", &[("scope", WS_SCOPE), ("assignment", &id)]).await;
    assert_eq!(removed.status(), StatusCode::OK);
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    let mine = app.json(&bob, "workspaces/mine", &[], StatusCode::OK).await;
    assert!(mine.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn roles_at_an_organization_are_inherited_by_its_workspaces() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(
        grant(&app, &ada, ORG_SCOPE, "bob@example.com", "Contributor").await,
        StatusCode::OK
    );

    let update =
        [WS[0], WS[1], WS[2], ("display_name", "Bob was here"), ("description", ""), ("tags", "")];
    assert_eq!(app.call(&bob, "workspaces/update", &update).await.status(), StatusCode::OK);
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let bobs = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "bob@example.com")
        .unwrap();
    assert_eq!(bobs["inherited"], true);
    assert_eq!(bobs["scope"], serde_json::json!({ "Organization": { "org": "contoso" } }));
    // A Contributor may read who has access but not change it.
    app.json(&bob, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    assert_eq!(
        grant(&app, &bob, WS_SCOPE, "ada@example.com", "Reader").await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_last_owner_can_be_neither_removed_nor_demoted() {
    let (app, ada) = app_with_workspace().await;
    for scope in [WS_SCOPE, ORG_SCOPE] {
        let id = assignment_id(&app, &ada, scope, "ada@example.com").await;
        let demote = app
            .json(
                &ada,
                "access/change",
                &[("scope", scope), ("assignment", &id), ("role", "Reader")],
                StatusCode::CONFLICT,
            )
            .await;
        assert!(demote["message"].as_str().unwrap().contains("last Owner"), "{demote}");
        app.json(
            &ada,
            "access/remove",
            &[("scope", scope), ("assignment", &id)],
            StatusCode::CONFLICT,
        )
        .await;
    }
    // With a second Owner, the first may step down.
    app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(grant(&app, &ada, WS_SCOPE, "bob@example.com", "Owner").await, StatusCode::OK);
    let id = assignment_id(&app, &ada, WS_SCOPE, "ada@example.com").await;
    let demote = app
        .call(
            &ada,
            "access/change",
            &[("scope", WS_SCOPE), ("assignment", &id), ("role", "Reader")],
        )
        .await;
    assert_eq!(demote.status(), StatusCode::OK);
}

#[tokio::test]
async fn granting_checks_the_person_and_the_role() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    // An address without an account (as any outside the organization) is invited.
    let unknown = app
        .json(
            &ada,
            "access/grant",
            &[("scope", WS_SCOPE), ("email", "nobody@example.com"), ("role", "Reader")],
            StatusCode::OK,
        )
        .await;
    assert_eq!(unknown, "Invited");
    let invalid = app
        .json(
            &ada,
            "access/grant",
            &[("scope", WS_SCOPE), ("email", "not an address"), ("role", "Reader")],
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(invalid["field"], "email");
    let bad_role = app
        .json(
            &ada,
            "access/grant",
            &[("scope", WS_SCOPE), ("email", "bob@example.com"), ("role", "Janitor")],
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(bad_role["field"], "role");
    assert_eq!(
        grant(&app, &ada, WS_SCOPE, "bob@example.com", "AzureML Data Scientist").await,
        StatusCode::OK
    );
    assert_eq!(
        grant(&app, &ada, WS_SCOPE, "bob@example.com", "AzureML Data Scientist").await,
        StatusCode::CONFLICT
    );
    let bad_scope = app
        .call(&ada, "access/get", &[("scope", "/organizations/contoso/resourceGroups/nope")])
        .await;
    assert_eq!(bad_scope.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_change_is_in_the_activity_log_and_exportable() {
    let (app, ada) = app_with_workspace().await;
    // Bob joined the organization by invitation to a group of its own, then Ada grants him a
    // role in the workspace directly.
    let bob = app.signed_in("Bob", "bob@example.com").await;
    app.call(&ada, "resource_groups/create", &[("organization", "contoso"), ("name", "misc")])
        .await;
    let misc = "/organizations/contoso/resourceGroups/misc";
    crate::membership::add_member(&app, &ada, &bob, misc, "Reader").await;
    crate::membership::confirmed_by_admin(&app, &ada, &bob).await;
    assert_eq!(grant(&app, &ada, WS_SCOPE, "bob@example.com", "Reader").await, StatusCode::OK);

    let log = app.json(&ada, "access/activity", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let actions: Vec<&str> =
        log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.MachineLearningServices/workspaces/write",
        ]
    );
    assert_eq!(log["events"][0]["target"], "Bob <bob@example.com>");
    assert_eq!(log["events"][0]["actor"], "Ada");
    assert_eq!(log["events"][0]["client_address"], "127.0.0.1");

    let by_bob = app
        .json(&ada, "access/activity", &[("scope", ORG_SCOPE), ("actor", "bob")], StatusCode::OK)
        .await;
    let bobs: Vec<&str> = by_bob["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        bobs,
        [
            "Microsoft.Authorization/invitations/write",
            "Microsoft.Authorization/roleAssignments/write",
        ],
        "only his accepting: the acceptance, and the grant it made"
    );
    let org_log = app
        .json(
            &ada,
            "access/activity",
            &[("scope", ORG_SCOPE), ("action", "resourceGroups")],
            StatusCode::OK,
        )
        .await;
    assert_eq!(org_log["events"].as_array().unwrap().len(), 2, "vision and misc: {org_log}");

    let export =
        ada.get(app.url(&format!("/activity/export?scope={WS_SCOPE}"))).send().await.unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    let body = export.text().await.unwrap();
    let lines: Vec<serde_json::Value> =
        body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["details"]["role"], "Reader");

    let stranger = app.signed_in("Mallory", "mallory@example.com").await;
    app.json(&stranger, "access/activity", &[("scope", WS_SCOPE)], StatusCode::NOT_FOUND).await;
    let export =
        stranger.get(app.url(&format!("/activity/export?scope={WS_SCOPE}"))).send().await.unwrap();
    assert_eq!(export.status(), StatusCode::NOT_FOUND);
}
