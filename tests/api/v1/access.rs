//! Roles, role assignments, groups, invitations and tokens through `/api/v1`: the studio's
//! rules and messages, for people, groups and service principals.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::{call, delete, error, get, post};
use crate::helpers::{app_with_workspace, seed_003_role, TestApp};
use crate::membership::{add_member, confirmed_by_admin};
use crate::tracking_support::{principal_token, service_principal, token};

const ORG: &str = "/organizations/contoso";
const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const OTHER: &str = "/organizations/contoso/resourceGroups/vision/workspaces/other";

/// Ada's app with a second workspace and `people` (name, address) confirmed members of the
/// organization through Reader on it; returns Ada's admin token too.
pub(super) async fn organization_with(
    people: &[(&str, &str)],
) -> (TestApp, reqwest::Client, String) {
    let (app, ada) = app_with_workspace().await;
    app.create_workspace(&ada, "contoso/vision", "", "other").await;
    for (name, email) in people {
        let person = app.signed_in(name, email).await;
        add_member(&app, &ada, &person, OTHER, "Reader").await;
        confirmed_by_admin(&app, &ada, &person).await;
    }
    let secret = token(&app, &ada, "admin", "everything", false).await;
    (app, ada, secret)
}

fn assignment_for<'a>(page: &'a Value, principal: &str) -> Option<&'a Value> {
    page["items"].as_array().unwrap().iter().find(|a| a["principal"] == principal)
}

#[tokio::test]
async fn role_definitions_go_in_and_out_as_seed_003_writes_them() {
    let (app, _ada, secret) = organization_with(&[("Bob", "bob@example.com")]).await;
    let role: Value = serde_json::from_str(&seed_003_role("vision", "detector")).unwrap();
    let (status, saved) = post(&app, &secret, "/roleDefinitions", role.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["role"]["AssignableScopes"], json!([WS]));
    let again = post(&app, &secret, "/roleDefinitions", role.clone()).await;
    error(&again, StatusCode::CONFLICT, "conflict");

    let (_, listed) = get(&app, &secret, "/organizations/contoso/roleDefinitions?limit=200").await;
    let names: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|r| r["Name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Owner") && names.contains(&"Data Scientist"), "{names:?}");
    let path = "/organizations/contoso/roleDefinitions/Data%20Scientist";
    let (_, azure) = get(&app, &secret, &format!("{path}?scope_form=azure")).await;
    assert_eq!(azure, role);

    let mut changed = role.clone();
    changed["Description"] = json!("Runs experiments.");
    let (status, saved) = call(&app, &secret, Method::PUT, path, changed).await;
    assert_eq!(
        (status, &saved["role"]["Description"]),
        (StatusCode::OK, &json!("Runs experiments."))
    );

    let grant = json!({"scope": WS, "role": "Data Scientist", "user": "bob@example.com"});
    let (status, given) = post(&app, &secret, "/roleAssignments", grant).await;
    assert_eq!((status, &given["outcome"]), (StatusCode::CREATED, &json!("granted")), "{given}");
    let refused = delete(&app, &secret, path).await;
    let message = error(&refused, StatusCode::CONFLICT, "conflict");
    assert!(message.contains("bob@example.com"), "{message}");

    // Bad JSON names the field; scopes in two organizations are refused.
    let mut no_scope = role.clone();
    no_scope["Name"] = json!("Other");
    no_scope["AssignableScopes"] = json!([]);
    let answer = post(&app, &secret, "/roleDefinitions", no_scope).await;
    error(&answer, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(answer.1["field"], "assignable_scopes");
    let mut two = role.clone();
    two["Name"] = json!("Other");
    two["AssignableScopes"] = json!(["/organizations/contoso", "/organizations/fabrikam"]);
    let answer = post(&app, &secret, "/roleDefinitions", two).await;
    assert!(error(&answer, StatusCode::BAD_REQUEST, "invalid").contains("more than one"));
}

#[tokio::test]
async fn role_assignments_reach_people_groups_and_service_principals() {
    let (app, ada, secret) = organization_with(&[("Bob", "bob@example.com")]).await;
    let identity = service_principal(&app, &ada, "contoso", "nightly").await;
    let assignments = format!("/roleAssignments?scope={WS}");
    let (status, page) = get(&app, &secret, &assignments).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let ada_owner = page["items"].as_array().unwrap().iter().find(|a| a["scope"] == ORG).unwrap();
    assert_eq!(
        (&ada_owner["inherited"], &ada_owner["principal_type"]),
        (&json!(true), &json!("user"))
    );

    let reader = |key: &str, value: &str| json!({"scope": WS, "role": "Reader", key: value});
    for (body, outcome) in [
        (reader("user", "bob@example.com"), "granted"),
        (reader("user", "stranger@example.com"), "invited"),
        (reader("service_principal", "nightly"), "granted"),
    ] {
        let (status, given) = post(&app, &secret, "/roleAssignments", body).await;
        assert_eq!(
            (status, given["outcome"].as_str()),
            (StatusCode::CREATED, Some(outcome)),
            "{given}"
        );
    }
    let (status, created) =
        post(&app, &secret, "/organizations/contoso/groups", json!({"name": "Data scientists"}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) =
        post(&app, &secret, "/roleAssignments", reader("group", "Data scientists")).await;
    assert_eq!(status, StatusCode::CREATED);

    let (_, page) = get(&app, &secret, &assignments).await;
    assert_eq!(assignment_for(&page, "bob@example.com").unwrap()["role"], "Reader");
    assert_eq!(assignment_for(&page, &identity).unwrap()["principal_type"], "service_principal");
    assert_eq!(assignment_for(&page, "Data scientists").unwrap()["principal_type"], "group");

    let both = json!({"scope": WS, "role": "Reader", "user": "bob@example.com", "group": "x"});
    error(&post(&app, &secret, "/roleAssignments", both).await, StatusCode::BAD_REQUEST, "invalid");
    let unknown_role = reader("user", "bob@example.com");
    let mut unknown_role = unknown_role;
    unknown_role["role"] = json!("Nope");
    let answer = post(&app, &secret, "/roleAssignments", unknown_role).await;
    assert_eq!(answer.1["field"], "role", "{}", answer.1);

    // Removing one: needs its scope; the principal loses it on the next request.
    let id = assignment_for(&page, "bob@example.com").unwrap()["id"].as_i64().unwrap();
    let (status, _) = delete(&app, &secret, &format!("/roleAssignments/{id}?scope={WS}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = get(&app, &secret, &assignments).await;
    assert!(assignment_for(&page, "bob@example.com").is_none());
    let again = delete(&app, &secret, &format!("/roleAssignments/{id}?scope={WS}")).await;
    error(&again, StatusCode::NOT_FOUND, "not_found");
    let not_a_number = delete(&app, &secret, &format!("/roleAssignments/abc?scope={WS}")).await;
    error(&not_a_number, StatusCode::BAD_REQUEST, "invalid");

    // The service principal's own token acts with its roles: it reads the workspace.
    let sp_token = principal_token(&app, &ada, ("contoso", "nightly"), WS).await;
    let (status, _) = get(&app, &sp_token, WS).await;
    assert_eq!(status, StatusCode::OK);
    let refused = post(&app, &sp_token, "/roleAssignments", reader("user", "x@example.com")).await;
    error(&refused, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn readers_are_refused_changes_and_strangers_find_nothing() {
    let (app, ada, _) = organization_with(&[]).await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    add_member(&app, &ada, &bob, WS, "Reader").await;
    let reader = token(&app, &bob, "bob", "everything", false).await;
    let stranger_client = app.signed_in("Sam", "sam@example.com").await;
    let stranger = token(&app, &stranger_client, "sam", "everything", false).await;
    let grant = json!({"scope": WS, "role": "Reader", "user": "sam@example.com"});
    error(
        &post(&app, &reader, "/roleAssignments", grant.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    error(
        &post(&app, &stranger, "/roleAssignments", grant).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let role: Value = serde_json::from_str(&seed_003_role("vision", "detector")).unwrap();
    error(
        &post(&app, &stranger, "/roleDefinitions", role).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let groups = "/organizations/contoso/groups";
    error(&get(&app, &stranger, groups).await, StatusCode::NOT_FOUND, "not_found");
    error(
        &get(&app, &stranger, &format!("/roleAssignments?scope={WS}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let (_, mine) = get(&app, &stranger, "/workspaces").await;
    assert_eq!(mine["items"], json!([]));
    // A token reaching one workspace sees nothing of the organization beyond it.
    let narrow = token(&app, &ada, "narrow", WS, false).await;
    error(&get(&app, &narrow, groups).await, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(get(&app, &narrow, &format!("/roleAssignments?scope={WS}")).await.0, StatusCode::OK);
    let (_, orgs) = get(&app, &narrow, "/organizations").await;
    assert_eq!(orgs["items"], json!([]));
}

#[tokio::test]
async fn groups_are_made_filled_emptied_and_deleted_with_their_access_only_when_asked() {
    let (app, _ada, secret) =
        organization_with(&[("Bob", "bob@example.com"), ("Eve", "eve@example.com")]).await;
    let groups = "/organizations/contoso/groups";
    let (status, created) =
        post(&app, &secret, groups, json!({"name": "Admins", "description": "Compute"})).await;
    assert_eq!((status, &created["members"]), (StatusCode::CREATED, &json!([])));
    error(
        &post(&app, &secret, groups, json!({"name": "admins"})).await,
        StatusCode::CONFLICT,
        "conflict",
    );
    let bad = post(&app, &secret, groups, json!({"name": ""})).await;
    assert_eq!(bad.1["field"], "name");

    let members = format!("{groups}/Admins/members");
    for email in ["bob@example.com", "eve@example.com"] {
        let (status, group) = post(&app, &secret, &members, json!({"email": email})).await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
    }
    let outsider = post(&app, &secret, &members, json!({"email": "nobody@example.com"})).await;
    assert_eq!(outsider.1["field"], "email", "{}", outsider.1);
    let (_, shown) = get(&app, &secret, &format!("{groups}/Admins")).await;
    let emails: Vec<&str> =
        shown["members"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["bob@example.com", "eve@example.com"]);

    let (status, _) = delete(&app, &secret, &format!("{members}/eve@example.com")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let grant = json!({"scope": WS, "role": "Contributor", "group": "Admins"});
    assert_eq!(post(&app, &secret, "/roleAssignments", grant).await.0, StatusCode::CREATED);
    let (_, page) = get(&app, &secret, &format!("/roleAssignments?scope={WS}")).await;
    let admins = assignment_for(&page, "Admins").unwrap();
    assert_eq!(admins["held_by"], json!(["bob@example.com"]), "{admins}");
    let held = delete(&app, &secret, &format!("{groups}/Admins")).await;
    let message = error(&held, StatusCode::CONFLICT, "conflict");
    assert!(message.contains("Contributor"), "{message}");
    let (status, _) = delete(&app, &secret, &format!("{groups}/Admins?remove_access=true")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    error(
        &get(&app, &secret, &format!("{groups}/Admins")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let (_, page) = get(&app, &secret, &format!("/roleAssignments?scope={WS}")).await;
    assert!(assignment_for(&page, "Admins").is_none());
}

#[tokio::test]
async fn invitations_are_made_listed_resent_and_revoked() {
    let (app, _ada, secret) = organization_with(&[]).await;
    let body =
        json!({"scope": WS, "role": "Reader", "emails": ["new@example.com", "not an address"]});
    let (status, answers) = post(&app, &secret, "/invitations", body).await;
    assert_eq!(status, StatusCode::CREATED, "{answers}");
    assert_eq!(answers[0]["outcome"], "invited");
    assert_eq!(answers[1]["outcome"], "invalid");
    let (_, page) = get(&app, &secret, &format!("/invitations?scope={WS}")).await;
    let invitation = &page["items"][0];
    assert_eq!(
        (&invitation["email"], &invitation["role"]),
        (&json!("new@example.com"), &json!("Reader"))
    );
    let id = invitation["id"].as_i64().unwrap();
    let resent =
        post(&app, &secret, &format!("/invitations/{id}/resend?scope={WS}"), Value::Null).await;
    assert_eq!(resent.0, StatusCode::NO_CONTENT, "{}", resent.1);
    let (status, _) = delete(&app, &secret, &format!("/invitations/{id}?scope={WS}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = get(&app, &secret, &format!("/invitations?scope={WS}")).await;
    assert_eq!(page["items"], json!([]));
    error(
        &delete(&app, &secret, &format!("/invitations/{id}?scope={WS}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn a_token_makes_tokens_no_wider_than_itself_and_revokes_them() {
    let (app, ada) = app_with_workspace().await;
    let narrow = token(&app, &ada, "narrow", WS, false).await;
    let wider =
        post(&app, &narrow, "/tokens", json!({"name": "wide", "reach": "everything"})).await;
    assert_eq!(wider.1["field"], "reach", "{}", wider.1);
    let read_only = token(&app, &ada, "reader", "everything", true).await;
    let writing = post(&app, &read_only, "/tokens", json!({"name": "w"})).await;
    assert_eq!(writing.1["field"], "read_only", "{}", writing.1);

    let (status, created) =
        post(&app, &narrow, "/tokens", json!({"name": "child", "reach": WS, "read_only": true}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let child = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(get(&app, &child, WS).await.0, StatusCode::OK);
    let (_, listed) = get(&app, &narrow, "/tokens").await;
    let names: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["child", "reader", "narrow"]);
    assert!(!listed.to_string().contains(&child), "a list never shows a secret");
    let id = listed["items"][0]["id"].as_i64().unwrap();
    error(
        &delete(&app, &read_only, &format!("/tokens/{id}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(delete(&app, &narrow, &format!("/tokens/{id}")).await.0, StatusCode::NO_CONTENT);
    error(&get(&app, &child, WS).await, StatusCode::UNAUTHORIZED, "unauthenticated");
}
