use reqwest::StatusCode;

use crate::helpers::{app_with_workspace, spawn_app};

const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

#[tokio::test]
async fn creating_an_organization_a_group_and_a_workspace_makes_the_creator_owner() {
    let (app, ada) = app_with_workspace().await;

    let orgs = app.json(&ada, "organizations/list", &[], StatusCode::OK).await;
    assert_eq!(orgs["organizations"][0]["slug"], "contoso");
    let org =
        app.json(&ada, "organizations/get", &[("organization", "contoso")], StatusCode::OK).await;
    assert_eq!(org["roles"], serde_json::json!(["Owner"]));
    assert_eq!(org["resource_groups"], serde_json::json!(["vision"]));

    let ws = app.json(&ada, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(ws["card"]["name"], "detector");
    assert_eq!(ws["card"]["display_name"], "detector", "display name defaults to the name");
    assert_eq!(ws["card"]["environment"], "Development");
    assert_eq!(ws["card"]["roles"], serde_json::json!(["Owner"]));
    assert_eq!(ws["description"], "Image models");
    assert_eq!(ws["tags"], serde_json::json!([["team", "vision"]]));
    assert_eq!(ws["created_by"], "Ada");

    let mine = app.json(&ada, "workspaces/mine", &[], StatusCode::OK).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["roles"], serde_json::json!(["Owner"]));
}

#[tokio::test]
async fn names_are_unique_ignoring_letter_case() {
    let (app, ada) = app_with_workspace().await;

    let again = app.create_workspace(&ada, "contoso/vision", "", "DETECTOR").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let error: serde_json::Value = again.json().await.unwrap();
    assert_eq!(error["field"], "name");

    let group = app
        .call(&ada, "resource_groups/create", &[("organization", "contoso"), ("name", "Vision")])
        .await;
    assert_eq!(group.status(), StatusCode::CONFLICT);

    let org =
        app.call(&ada, "organizations/create", &[("name", "Other"), ("slug", "contoso")]).await;
    assert_eq!(org.status(), StatusCode::CONFLICT);

    // The same workspace name is fine in another group.
    let other = app.create_workspace(&ada, "contoso/", "speech", "detector").await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_names_get_the_seed_rule_and_nothing_is_created() {
    let (app, ada) = app_with_workspace().await;

    let bad = app.create_workspace(&ada, "contoso/", "new-group", "no spaces allowed").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let error: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(error["field"], "name");
    assert!(error["message"].as_str().unwrap().contains("3 to 33"));

    let form = [
        ("placement", "contoso/vision"),
        ("new_resource_group", ""),
        ("name", "segmenter"),
        ("display_name", "Team: models"),
        ("environment", "test"),
        ("description", ""),
        ("tags", ""),
    ];
    let error = app.json(&ada, "workspaces/create", &form, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["field"], "display_name");

    let org =
        app.json(&ada, "organizations/get", &[("organization", "contoso")], StatusCode::OK).await;
    assert_eq!(org["resource_groups"], serde_json::json!(["vision"]), "no half-made group");
}

#[tokio::test]
async fn the_project_template_creates_three_tagged_workspaces() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    app.call(&ada, "organizations/create", &[("name", "Contoso"), ("slug", "contoso")]).await;

    let form = [("organization", "contoso"), ("project", "atlas"), ("description", "Forecasting")];
    let response = app.call(&ada, "workspaces/set_up_project", &form).await;
    assert_eq!(response.status(), StatusCode::OK);

    let group = app
        .json(
            &ada,
            "resource_groups/get",
            &[("organization", "contoso"), ("resource_group", "atlas")],
            StatusCode::OK,
        )
        .await;
    let names: Vec<&str> = group["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["atlas-dev", "atlas-prod", "atlas-test"]);
    let prod = app
        .json(
            &ada,
            "workspaces/get",
            &[
                ("organization", "contoso"),
                ("resource_group", "atlas"),
                ("workspace", "atlas-prod"),
            ],
            StatusCode::OK,
        )
        .await;
    assert_eq!(prod["card"]["environment"], "Production");
    assert_eq!(
        prod["tags"],
        serde_json::json!([["project", "atlas"], ["environment", "production"]])
    );

    let again = app.call(&ada, "workspaces/set_up_project", &form).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "the project's group exists");
}

#[tokio::test]
async fn the_instance_admin_decides_who_creates_organizations() {
    let app = spawn_app().await;
    let admin = app.signed_in("Admin", "admin@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;

    let saved = app.call(&admin, "instance/save_settings", &[]).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let refused =
        app.call(&bob, "organizations/create", &[("name", "Bob's"), ("slug", "bobs")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let list = app.json(&bob, "organizations/list", &[], StatusCode::OK).await;
    assert_eq!(list["may_create"], false);

    // Only the admin may change the setting; to anyone else it does not exist.
    let bob_tries = app
        .call(&bob, "instance/save_settings", &[("anyone_may_create_organizations", "on")])
        .await;
    assert_eq!(bob_tries.status(), StatusCode::NOT_FOUND);

    let allowed =
        app.call(&admin, "organizations/create", &[("name", "Main"), ("slug", "main")]).await;
    assert_eq!(allowed.status(), StatusCode::OK);
    app.call(&admin, "instance/save_settings", &[("anyone_may_create_organizations", "on")]).await;
    let now_allowed =
        app.call(&bob, "organizations/create", &[("name", "Bob's"), ("slug", "bobs")]).await;
    assert_eq!(now_allowed.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_project_template_gives_data_scientists_and_admins_their_preset_roles() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    let dana = app.signed_in("Dana", "dana@example.com").await;
    let wes = app.signed_in("Wes", "wes@example.com").await;
    app.call(&ada, "organizations/create", &[("name", "Contoso"), ("slug", "contoso")]).await;
    // Dana and Wes already belong to the organization (so they are granted, not invited).
    app.call(&ada, "resource_groups/create", &[("organization", "contoso"), ("name", "misc")])
        .await;
    for email in ["dana@example.com", "wes@example.com"] {
        let misc = "/organizations/contoso/resourceGroups/misc";
        crate::membership::give(&app, &ada, misc, email, "Reader").await;
    }
    for person in [&dana, &wes] {
        crate::membership::confirmed_by_admin(&app, &ada, person).await;
    }

    let invalid = [
        ("organization", "contoso"),
        ("project", "atlas"),
        ("description", ""),
        ("data_scientists", "nobody-at-example.com"),
    ];
    let error =
        app.json(&ada, "workspaces/set_up_project", &invalid, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["field"], "data_scientists");

    let form = [
        ("organization", "contoso"),
        ("project", "atlas"),
        ("description", ""),
        ("data_scientists", "dana@example.com"),
        ("workspace_admins", "wes@example.com"),
    ];
    assert_eq!(app.call(&ada, "workspaces/set_up_project", &form).await.status(), StatusCode::OK);

    let roles = |ws: &'static str| {
        [("organization", "contoso"), ("resource_group", "atlas"), ("workspace", ws)]
    };
    for (ws, role) in [
        ("atlas-dev", "AzureML Data Scientist"),
        ("atlas-test", "Reader"),
        ("atlas-prod", "Reader"),
    ] {
        let view = app.json(&dana, "workspaces/get", &roles(ws), StatusCode::OK).await;
        assert_eq!(view["card"]["roles"], serde_json::json!([role]), "{ws}");
        let view = app.json(&wes, "workspaces/get", &roles(ws), StatusCode::OK).await;
        assert_eq!(view["card"]["roles"], serde_json::json!(["Workspace admin"]), "{ws}");
        assert!(view["permitted"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("ComputesWrite")));
    }
    let list = app.json(&ada, "roles/list", &[("organization", "contoso")], StatusCode::OK).await;
    assert!(list["roles"].as_array().unwrap().iter().any(|r| r["name"] == "Workspace admin"));
}
