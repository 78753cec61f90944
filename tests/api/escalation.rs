//! Attempts to gain or hand out more access than one holds, each as an attacker would try it
//! (issue 15): widening a held role, role names that dodge comparisons, project set-up, grants
//! outliving time-boxed access, seed 003's role removing people, and finding accounts by email.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, seed_003_role, TestApp};
use crate::membership::{add_member, invitation_token};

const ORG: (&str, &str) = ("organization", "contoso");
const ORG_SCOPE: &str = "/organizations/contoso";
const WS_SCOPE: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WS: [(&str, &str); 3] =
    [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];

async fn save_role(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> reqwest::Response {
    let mut form = form.to_vec();
    form.insert(0, ORG);
    app.call(client, "roles/save", &form).await
}

async fn import(app: &TestApp, client: &Client, json: &str) -> Value {
    app.json(client, "roles/save", &[ORG, ("json", json)], StatusCode::OK).await
}

async fn permitted(app: &TestApp, client: &Client) -> Vec<String> {
    let view = app.json(client, "workspaces/get", &WS, StatusCode::OK).await;
    view["permitted"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

/// `email`'s own (not inherited) assignments at `scope`, as the Access control page lists them.
async fn assignments(app: &TestApp, owner: &Client, scope: &str, email: &str) -> Vec<Value> {
    let view = app.json(owner, "access/get", &[("scope", scope)], StatusCode::OK).await;
    view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["email"] == email && a["inherited"] == false)
        .cloned()
        .collect()
}

async fn assignment(app: &TestApp, owner: &Client, scope: &str, email: &str) -> Option<Value> {
    assignments(app, owner, scope, email).await.into_iter().next()
}

#[tokio::test]
async fn a_role_definitions_writer_cannot_widen_a_role_they_hold() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let editor = r#"{"Name": "Role editor", "Description": "Looks, and edits roles",
        "Actions": ["*/read", "Microsoft.Authorization/roleDefinitions/*"],
        "AssignableScopes": ["/organizations/contoso"]}"#;
    import(&app, &ada, editor).await;
    add_member(&app, &ada, &bob, ORG_SCOPE, "Role editor").await;
    assert!(!permitted(&app, &bob).await.contains(&"WorkspacesDelete".to_owned()));

    let widened = [
        ("original", "Role editor"),
        ("name", "Role editor"),
        ("actions", "*"),
        ("assignable_scopes", ORG_SCOPE),
    ];
    let refused = save_role(&app, &bob, &widened).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("your own"), "{body}");
    assert!(!permitted(&app, &bob).await.contains(&"WorkspacesDelete".to_owned()));

    // A new role that allows more than Bob holds is refused the same way; one within it is not.
    let new_wide = [("name", "Everything"), ("actions", "*"), ("assignable_scopes", WS_SCOPE)];
    assert_eq!(save_role(&app, &bob, &new_wide).await.status(), StatusCode::FORBIDDEN);
    let within = [("name", "Looker"), ("actions", "*/read"), ("assignable_scopes", ORG_SCOPE)];
    assert_eq!(save_role(&app, &bob, &within).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_role_is_widened_only_by_someone_holding_it_where_it_is_assigned() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    // Bob owns another workspace and edits roles; Carol runs things in the detector workspace.
    let created = app.create_workspace(&ada, "contoso/vision", "", "sandbox").await;
    assert_eq!(created.status(), StatusCode::OK);
    let sandbox = "/organizations/contoso/resourceGroups/vision/workspaces/sandbox";
    let editor = r#"{"Name": "Role editor", "Actions": ["*/read", "Microsoft.Authorization/roleDefinitions/*"],
        "AssignableScopes": ["/organizations/contoso"]}"#;
    import(&app, &ada, editor).await;
    let runner = r#"{"Name": "Runner", "Actions": ["*/read"],
        "AssignableScopes": ["/organizations/contoso/resourceGroups/vision"]}"#;
    import(&app, &ada, runner).await;
    add_member(&app, &ada, &bob, ORG_SCOPE, "Role editor").await;
    add_member(&app, &ada, &bob, sandbox, "Owner").await;
    add_member(&app, &ada, &carol, WS_SCOPE, "Runner").await;

    // Made assignable only where Bob owns, it is still assigned where he does not.
    let narrowed = [
        ("original", "Runner"),
        ("name", "Runner"),
        ("actions", "*"),
        ("assignable_scopes", sandbox),
    ];
    let refused = save_role(&app, &bob, &narrowed).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!permitted(&app, &carol).await.contains(&"WorkspacesDelete".to_owned()));
}

#[tokio::test]
async fn role_names_are_compared_in_any_letter_case_on_delete_and_rename() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    import(&app, &ada, &seed_003_role("vision", "detector")).await;
    add_member(&app, &ada, &bob, WS_SCOPE, "Data Scientist").await;

    // Deleting by another casing sees that Bob holds it.
    let deleted = app.call(&ada, "roles/delete", &[ORG, ("name", "data scientist")]).await;
    assert_eq!(deleted.status(), StatusCode::CONFLICT);
    assert!(permitted(&app, &bob).await.contains(&"RunsSubmit".to_owned()));

    // Renaming by another casing takes Bob's assignment along.
    let renamed = [
        ("original", "DATA SCIENTIST"),
        ("name", "Scientist"),
        ("actions", "*"),
        ("not_actions", "Microsoft.Authorization/*/write\nMicrosoft.Authorization/*/delete"),
        ("assignable_scopes", WS_SCOPE),
    ];
    assert_eq!(save_role(&app, &ada, &renamed).await.status(), StatusCode::OK);
    let view = app.json(&bob, "workspaces/get", &WS, StatusCode::OK).await;
    assert_eq!(view["card"]["roles"], serde_json::json!(["Scientist"]));
    let deleted = app.call(&ada, "roles/delete", &[ORG, ("name", "scientist")]).await;
    assert_eq!(deleted.status(), StatusCode::CONFLICT, "still held, under its new name");
}

#[tokio::test]
async fn look_alike_role_names_are_refused_or_folded_into_the_name_they_imitate() {
    let (app, ada) = app_with_workspace().await;
    let role = |name: &'static str| {
        [("name", name), ("actions", "*/read"), ("assignable_scopes", ORG_SCOPE)]
    };
    for invisible in ["Owner\u{200B}", "Own\u{00AD}er", "Reader\u{202E}", "\u{FEFF}Auditor"] {
        let refused = save_role(&app, &ada, &role(invisible)).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{invisible:?}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["field"], "name", "{invisible:?}");
        assert!(body["message"].as_str().unwrap().contains("invisible"), "{body}");
    }
    // Full-width letters are the built-in name; a ligature or a no-break space the same name.
    let fullwidth = save_role(&app, &ada, &role("\u{FF2F}\u{FF57}\u{FF4E}\u{FF45}\u{FF52}")).await;
    assert_eq!(fullwidth.status(), StatusCode::BAD_REQUEST);
    assert_eq!(save_role(&app, &ada, &role("Field team")).await.status(), StatusCode::OK);
    for twin in ["\u{FB01}eld team", "FIELD TEAM", "Field\u{00A0}team", "Field  team"] {
        let clash = save_role(&app, &ada, &role(twin)).await;
        assert_eq!(clash.status(), StatusCode::CONFLICT, "{twin:?}");
    }
    let list = app.json(&ada, "roles/list", &[ORG], StatusCode::OK).await;
    let names: Vec<&str> =
        list["roles"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names.iter().filter(|n| n.to_lowercase().contains("field")).count(), 1);
}

#[tokio::test]
async fn project_set_up_gives_no_role_beyond_the_callers_own() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let maker = r#"{"Name": "Project maker", "Description": "Sets up projects and their people",
        "Actions": ["*/read", "Microsoft.Resources/*", "Microsoft.Authorization/*"],
        "AssignableScopes": ["/organizations/contoso"]}"#;
    import(&app, &ada, maker).await;
    add_member(&app, &ada, &bob, ORG_SCOPE, "Project maker").await;
    add_member(&app, &ada, &carol, ORG_SCOPE, "Reader").await;

    for (field, project) in [("data_scientists", "atlas"), ("workspace_admins", "orion")] {
        let form = [ORG, ("project", project), ("description", ""), (field, "carol@example.com")];
        let refused = app.call(&bob, "workspaces/set_up_project", &form).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{field}");
        let body: Value = refused.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("your own role"), "{body}");
    }
    let group = [ORG, ("resource_group", "atlas")];
    assert_eq!(app.call(&ada, "resource_groups/get", &group).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn grants_made_by_time_boxed_access_end_no_later_than_it() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    add_member(&app, &ada, &carol, ORG_SCOPE, "Reader").await;
    for person in [&bob, &carol] {
        crate::membership::confirmed_by_admin(&app, &ada, person).await;
    }
    let ends = atelier::ui::format::date(app.clock.now() + 5 * 86_400);
    let form = [
        ("scope", WS_SCOPE),
        ("emails", "bob@example.com"),
        ("role", "Owner"),
        ("note", ""),
        ("access_ends", ends.as_str()),
    ];
    app.json(&ada, "invitations/create", &form, StatusCode::OK).await;
    let token = invitation_token(&app, &ada, WS_SCOPE, "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    let bobs_end = assignment(&app, &ada, WS_SCOPE, "bob@example.com").await.unwrap()["expires_at"]
        .as_i64()
        .expect("Bob's access is time-boxed");

    // To Carol, to himself, and by invitation: each ends when Bob's access does.
    for email in ["carol@example.com", "bob@example.com"] {
        let grant = [("scope", WS_SCOPE), ("email", email), ("role", "Contributor")];
        assert_eq!(
            app.call(&bob, "access/grant", &grant).await.status(),
            StatusCode::OK,
            "{email}"
        );
        let given = assignments(&app, &ada, WS_SCOPE, email)
            .await
            .into_iter()
            .find(|a| a["role"] == "Contributor")
            .unwrap_or_else(|| panic!("{email} holds Contributor"));
        let end = given["expires_at"].as_i64().unwrap_or(i64::MAX);
        assert!(end <= bobs_end, "{email}: {given}");
    }
    let invite = [
        ("scope", WS_SCOPE),
        ("emails", "dave@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ""),
    ];
    app.json(&bob, "invitations/create", &invite, StatusCode::OK).await;
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let daves = view["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "dave@example.com")
        .unwrap()
        .clone();
    let end = daves["access_expires_at"].as_i64().unwrap_or(i64::MAX);
    assert!(end <= bobs_end, "{daves}");

    // Nor can he turn someone else's open-ended invitation into his own role without an end.
    let eve = [
        ("scope", WS_SCOPE),
        ("emails", "eve@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ""),
    ];
    app.json(&ada, "invitations/create", &eve, StatusCode::OK).await;
    let pending = |view: &Value| {
        view["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["email"] == "eve@example.com")
            .cloned()
            .unwrap()
    };
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let id = pending(&view)["id"].to_string();
    let change = [("scope", WS_SCOPE), ("invitation", id.as_str()), ("role", "Contributor")];
    assert_eq!(app.call(&bob, "invitations/change_role", &change).await.status(), StatusCode::OK);
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let eves = pending(&view);
    assert!(eves["access_expires_at"].as_i64().is_some_and(|end| end <= bobs_end), "{eves}");
}

#[tokio::test]
async fn a_workspace_made_with_time_boxed_access_is_owned_only_as_long() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let group = "/organizations/contoso/resourceGroups/vision";
    let ends = atelier::ui::format::date(app.clock.now() + 5 * 86_400);
    let form = [
        ("scope", group),
        ("emails", "bob@example.com"),
        ("role", "Contributor"),
        ("note", ""),
        ("access_ends", ends.as_str()),
    ];
    app.json(&ada, "invitations/create", &form, StatusCode::OK).await;
    let token = invitation_token(&app, &ada, group, "bob@example.com").await;
    app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    let bobs_end = assignment(&app, &ada, group, "bob@example.com").await.unwrap()["expires_at"]
        .as_i64()
        .expect("Bob's access is time-boxed");

    let created = app.create_workspace(&bob, "contoso/vision", "", "bobs").await;
    assert_eq!(created.status(), StatusCode::OK);
    let scope = "/organizations/contoso/resourceGroups/vision/workspaces/bobs";
    let owner = assignment(&app, &ada, scope, "bob@example.com").await.unwrap();
    assert_eq!(owner["role"], "Owner");
    assert!(owner["expires_at"].as_i64().is_some_and(|end| end <= bobs_end), "{owner}");
}

#[tokio::test]
async fn seed_003s_role_removes_nobody() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    import(&app, &ada, &seed_003_role("vision", "detector")).await;
    add_member(&app, &ada, &bob, WS_SCOPE, "Data Scientist").await;
    add_member(&app, &ada, &carol, WS_SCOPE, "Reader").await;

    // Azure would let this role delete assignments; Atelier needs write as well.
    let view = app.json(&bob, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let may = view["permitted"].as_array().unwrap();
    assert!(!may.contains(&serde_json::json!("RoleAssignmentsWrite")));
    let id = assignment(&app, &ada, WS_SCOPE, "carol@example.com").await.unwrap()["id"].to_string();
    let removal = [("scope", WS_SCOPE), ("assignment", id.as_str())];
    assert_eq!(app.call(&bob, "access/remove", &removal).await.status(), StatusCode::FORBIDDEN);
    app.json(&carol, "workspaces/get", &WS, StatusCode::OK).await;
    assert!(assignment(&app, &ada, WS_SCOPE, "carol@example.com").await.is_some());
}

#[tokio::test]
async fn a_role_that_may_delete_but_not_write_assignments_is_pointed_out_when_saved() {
    let (app, ada) = app_with_workspace().await;
    let saved = import(&app, &ada, &seed_003_role("vision", "detector")).await;
    let notes = saved["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{saved}");
    assert!(notes[0].as_str().unwrap().contains("roleAssignments/delete"), "{saved}");
    let plain = r#"{"Name": "Looker", "Actions": ["*/read"], "AssignableScopes": ["/organizations/contoso"]}"#;
    assert_eq!(import(&app, &ada, plain).await["notes"], serde_json::json!([]));
}

#[tokio::test]
async fn granting_by_email_finds_only_members_and_answers_alike_for_everyone_else() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    add_member(&app, &ada, &carol, ORG_SCOPE, "Reader").await;
    // Both have proven their addresses: only membership decides.
    for person in [&bob, &carol] {
        crate::membership::confirmed_by_admin(&app, &ada, person).await;
    }

    let answer = |email: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            let form = [("scope", WS_SCOPE), ("email", email), ("role", "Contributor")];
            let response = app.call(ada, "access/grant", &form).await;
            (response.status(), response.text().await.unwrap())
        }
    };
    // Bob has an account but is not in Contoso; nobody@ has none. Neither is told apart.
    let (known_status, known_body) = answer("bob@example.com").await;
    let (unknown_status, unknown_body) = answer("nobody@example.com").await;
    assert_eq!(known_status, StatusCode::OK);
    assert_eq!((known_status, known_body.clone()), (unknown_status, unknown_body));
    assert!(known_body.contains("Invited"), "{known_body}");
    app.json(&bob, "workspaces/get", &WS, StatusCode::NOT_FOUND).await;
    assert!(assignment(&app, &ada, WS_SCOPE, "bob@example.com").await.is_none());
    // Bob gets the role by accepting the invitation, as anyone else would.
    let token = invitation_token(&app, &ada, WS_SCOPE, "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    assert!(permitted(&app, &bob).await.contains(&"WorkspacesWrite".to_owned()));

    // A member is granted at once.
    let (status, body) = answer("carol@example.com").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Granted"), "{body}");
    assert!(permitted(&app, &carol).await.contains(&"WorkspacesWrite".to_owned()));
}

#[tokio::test]
async fn check_access_and_project_set_up_find_only_members_and_tell_no_one_apart() {
    let (app, ada) = app_with_workspace().await;
    app.signed_in("Bob", "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    add_member(&app, &ada, &carol, ORG_SCOPE, "Reader").await;

    let check = |email: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            let response =
                app.call(ada, "access/check", &[("scope", WS_SCOPE), ("email", email)]).await;
            (response.status(), response.text().await.unwrap())
        }
    };
    // The page offers members to choose from: Carol, not Bob.
    let view = app.json(&ada, "access/get", &[("scope", WS_SCOPE)], StatusCode::OK).await;
    let members = view["members"].to_string();
    assert!(members.contains("carol@example.com") && !members.contains("bob@"), "{members}");
    let known = check("bob@example.com").await;
    assert_eq!(known.0, StatusCode::BAD_REQUEST);
    assert_eq!(known, check("nobody@example.com").await);
    assert_eq!(check("carol@example.com").await.0, StatusCode::OK);

    // Project set-up invites whoever is not a member, alike.
    let set_up = |project: &'static str, email: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            let form = [ORG, ("project", project), ("description", ""), ("data_scientists", email)];
            let response = app.call(ada, "workspaces/set_up_project", &form).await;
            (response.status(), response.text().await.unwrap())
        }
    };
    let known = set_up("atlas", "bob@example.com").await;
    assert_eq!(known.0, StatusCode::OK);
    assert_eq!(known, set_up("orion", "nobody@example.com").await);
    for (project, email) in [("atlas", "bob@example.com"), ("orion", "nobody@example.com")] {
        let dev =
            format!("/organizations/contoso/resourceGroups/{project}/workspaces/{project}-dev");
        let view = app.json(&ada, "access/get", &[("scope", dev.as_str())], StatusCode::OK).await;
        assert!(!view["assignments"].to_string().contains(email), "{view}");
        let invited = view["invitations"].as_array().unwrap();
        assert!(invited
            .iter()
            .any(|i| i["email"] == email && i["role"] == "AzureML Data Scientist"));
    }
}
