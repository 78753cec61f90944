//! Service principals: made in an organization by those who may give roles there, given roles
//! by their identity like people, acting through tokens the same people manage, named in the
//! activity log for what they do, and ended (roles and tokens) when deleted. They never sign in.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{app_with_workspace, client, TestApp, PASSWORD};
use crate::tracking_support::{
    detector, error, get, grant_on_detector, post, principal_token, service_principal, WS_PATH,
};

const ORG: (&str, &str) = ("organization", "contoso");
const ORG_SCOPE: &str = "/organizations/contoso";
const BOT: &str = "ci-bot@contoso.service-principals.invalid";

async fn listed(app: &TestApp, client: &Client) -> Vec<Value> {
    let view = app.json(client, "service_principals/list", &[ORG], StatusCode::OK).await;
    view["principals"].as_array().unwrap().clone()
}

async fn activity(app: &TestApp, client: &Client, scope: &str) -> Vec<Value> {
    let log = app.json(client, "access/activity", &[("scope", scope)], StatusCode::OK).await;
    log["events"].as_array().unwrap().clone()
}

fn field(body: &Value) -> &str {
    body["field"].as_str().unwrap_or_default()
}

/// Creates an experiment through the tracking API with `token`; its status.
async fn create_experiment(app: &TestApp, token: &str, name: &str) -> StatusCode {
    post(&detector(app), token, "experiments/create", json!({ "name": name })).await.status()
}

#[tokio::test]
async fn service_principals_are_created_listed_and_named_by_the_rule() {
    let (app, ada) = app_with_workspace().await;
    assert_eq!(service_principal(&app, &ada, "contoso", "ci-bot").await, BOT);

    let principals = listed(&app, &ada).await;
    assert_eq!(principals.len(), 1);
    assert_eq!(principals[0]["name"], "ci-bot");
    assert_eq!(principals[0]["identity"], BOT);
    assert_eq!(
        (principals[0]["roles"].as_i64(), principals[0]["active_tokens"].as_i64()),
        (Some(0), Some(0))
    );

    let long = "x".repeat(65);
    for bad in [" ", "ci bot", "ci@bot", long.as_str()] {
        let body = app
            .json(&ada, "service_principals/create", &[ORG, ("name", bad)], StatusCode::BAD_REQUEST)
            .await;
        assert_eq!(field(&body), "name", "{bad:?}: {body}");
    }
    // Unique in the organization whatever the letter case; another organization may reuse it.
    let taken = app
        .json(&ada, "service_principals/create", &[ORG, ("name", "CI-Bot")], StatusCode::CONFLICT)
        .await;
    assert_eq!(field(&taken), "name");
    assert_eq!(listed(&app, &ada).await.len(), 1, "nothing half-made");
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "fabrikam", "ops", "builds").await;
    let theirs = service_principal(&app, &mallory, "fabrikam", "ci-bot").await;
    assert_eq!(theirs, "ci-bot@fabrikam.service-principals.invalid");

    let event = &activity(&app, &ada, ORG_SCOPE).await[0];
    assert_eq!(event["action"], "Microsoft.Authorization/roleAssignments/write");
    assert_eq!(event["target"], format!("ci-bot <{BOT}>"));
    assert_eq!(event["actor"], "Ada");
    assert!(event["details"].as_str().unwrap().contains("create service principal"));
}

#[tokio::test]
async fn only_those_who_may_give_roles_in_the_organization_manage_service_principals() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    let rita = app.signed_in("Rita", "rita@example.com").await;
    let carl = app.signed_in("Carl", "carl@example.com").await;
    for (email, role) in [("rita@example.com", "Reader"), ("carl@example.com", "Contributor")] {
        crate::membership::give(&app, &ada, ORG_SCOPE, email, role).await;
    }
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    let principal = ("service_principal", "ci-bot");
    let create = [ORG, ("name", "deployer")];
    let token = [ORG, principal, ("name", "ci"), ("reach", ORG_SCOPE), ("ends_on", "")];
    let delete = [ORG, principal, ("confirm_name", "ci-bot")];

    // Readers of the organization see them and their tokens; Contributors may not give roles.
    assert_eq!(listed(&app, &rita).await.len(), 1);
    app.json(&rita, "service_principals/tokens", &[ORG, principal], StatusCode::OK).await;
    for who in [&rita, &carl] {
        for (endpoint, form) in [
            ("service_principals/create", &create[..]),
            ("service_principals/create_token", &token[..]),
            ("service_principals/delete", &delete[..]),
        ] {
            let status = app.call(who, endpoint, form).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}");
        }
    }
    // Strangers cannot tell the organization exists; visitors must sign in.
    for endpoint in ["service_principals/list", "service_principals/create"] {
        let status = app.call(&mallory, endpoint, &create).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}");
        let status = app.call(&client(), endpoint, &create).await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(listed(&app, &ada).await.len(), 1);
}

#[tokio::test]
async fn a_service_principal_given_a_role_acts_through_its_token_and_is_named_as_the_actor() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    grant_on_detector(&app, &ada, BOT, "Contributor").await;

    // The Access control page lists it as a service principal, and offers it to pick.
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    let assignment = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == BOT)
        .expect("the service principal's assignment")
        .clone();
    assert_eq!(
        (assignment["role"].as_str(), assignment["service_principal"].as_bool()),
        (Some("Contributor"), Some(true))
    );
    let member = view["members"].as_array().unwrap().iter().find(|m| m["email"] == BOT).cloned();
    assert_eq!(member.expect("listed to pick")["service_principal"], true);
    let ada_row =
        view["assignments"].as_array().unwrap().iter().find(|a| a["display_name"] == "Ada");
    assert_eq!(ada_row.unwrap()["service_principal"], false);

    // Check access explains it like a person.
    let check = [("scope", WS_PATH), ("email", BOT)];
    let checked = app.json(&ada, "access/check", &check, StatusCode::OK).await;
    assert_eq!(checked["person"], format!("ci-bot <{BOT}>"));
    assert_eq!(checked["service_principal"], true);
    assert_eq!(checked["roles"], json!([format!("Contributor at {WS_PATH}")]));
    let write = checked["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "Microsoft.MachineLearningServices/workspaces/experiments/write")
        .unwrap()
        .clone();
    assert_eq!(write["allowed"], true);

    // Its token works on the tracking API, and the activity log names it.
    let secret = principal_token(&app, &ada, ("contoso", "ci-bot"), WS_PATH).await;
    assert_eq!(create_experiment(&app, &secret, "nightly").await, StatusCode::OK);
    let event = activity(&app, &ada, WS_PATH)
        .await
        .into_iter()
        .find(|e| e["action"] == "Microsoft.MachineLearningServices/workspaces/experiments/write")
        .expect("the experiment's event");
    assert_eq!(event["actor"], "ci-bot");

    let tokens = app
        .json(
            &ada,
            "service_principals/tokens",
            &[ORG, ("service_principal", "ci-bot")],
            StatusCode::OK,
        )
        .await;
    let row = &tokens["tokens"]["tokens"][0];
    assert_eq!(
        (row["reach"].as_str(), row["active"].as_bool()),
        (Some("workspace detector"), Some(true))
    );
    assert_eq!(row["last_used_from"], "127.0.0.1");
    let reaches: Vec<&str> = tokens["tokens"]["reaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(reaches, [ORG_SCOPE, WS_PATH], "never \"everything\"");
    let principals = listed(&app, &ada).await;
    assert_eq!(
        (principals[0]["roles"].as_i64(), principals[0]["active_tokens"].as_i64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn a_service_principals_token_reaches_only_its_organization_and_ends_when_revoked() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    service_principal(&app, &ada, "contoso", "other-bot").await;
    grant_on_detector(&app, &ada, BOT, "Contributor").await;
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "fabrikam", "ops", "builds").await;
    crate::membership::give(&app, &mallory, "/organizations/fabrikam", "ada@example.com", "Reader")
        .await;

    let principal = ("service_principal", "ci-bot");
    for reach in
        ["everything", "/organizations/fabrikam", "/organizations/contoso/resourceGroups/vision"]
    {
        let form = [ORG, principal, ("name", "ci"), ("reach", reach), ("ends_on", "")];
        let body =
            app.json(&ada, "service_principals/create_token", &form, StatusCode::BAD_REQUEST).await;
        assert_eq!(field(&body), "reach", "{reach}");
    }
    let form = [ORG, principal, ("name", " "), ("reach", ORG_SCOPE), ("ends_on", "")];
    let body =
        app.json(&ada, "service_principals/create_token", &form, StatusCode::BAD_REQUEST).await;
    assert_eq!(field(&body), "name");

    let secret = principal_token(&app, &ada, ("contoso", "ci-bot"), ORG_SCOPE).await;
    assert_eq!(create_experiment(&app, &secret, "first").await, StatusCode::OK);
    let tokens =
        app.json(&ada, "service_principals/tokens", &[ORG, principal], StatusCode::OK).await;
    let id = tokens["tokens"]["tokens"][0]["id"].to_string();
    // A token is revoked through its own service principal only.
    let elsewhere = [ORG, ("service_principal", "other-bot"), ("id", id.as_str())];
    assert_eq!(
        app.call(&ada, "service_principals/revoke_token", &elsewhere).await.status(),
        StatusCode::NOT_FOUND
    );
    let revoke = [ORG, principal, ("id", id.as_str())];
    assert_eq!(
        app.call(&ada, "service_principals/revoke_token", &revoke).await.status(),
        StatusCode::OK
    );
    let refused =
        post(&detector(&app), &secret, "experiments/create", json!({ "name": "second" })).await;
    error(refused, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    assert_eq!(
        app.call(&ada, "service_principals/revoke_token", &revoke).await.status(),
        StatusCode::NOT_FOUND
    );
    let event = &activity(&app, &ada, ORG_SCOPE).await[0];
    assert!(event["details"].as_str().unwrap().contains("revoke token"), "{event}");
}

#[tokio::test]
async fn another_organizations_service_principal_is_unknown_here() {
    let (app, ada) = app_with_workspace().await;
    let mallory = app.signed_in("Mallory", "mallory@example.com").await;
    app.workspace_fixture(&mallory, "fabrikam", "ops", "builds").await;
    let theirs = service_principal(&app, &mallory, "fabrikam", "intruder").await;

    // As for any address outside the organization: invited (which it can never accept), the
    // same answer as for an address without an account; and not granted.
    let grant = [("scope", WS_PATH), ("email", theirs.as_str()), ("role", "Reader")];
    let invited = app.json(&ada, "access/grant", &grant, StatusCode::OK).await;
    assert_eq!(invited, "Invited");
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    assert!(!view["assignments"].to_string().contains(theirs.as_str()), "{view}");
    let check = [("scope", WS_PATH), ("email", theirs.as_str())];
    let refused = app.json(&ada, "access/check", &check, StatusCode::BAD_REQUEST).await;
    assert_eq!(field(&refused), "email");
    // Nor does its organization's list show up elsewhere.
    let fabrikam = [("organization", "fabrikam")];
    let status = app.call(&ada, "service_principals/list", &fabrikam).await.status();
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_a_service_principal_ends_its_token_and_removes_its_roles() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    grant_on_detector(&app, &ada, BOT, "Contributor").await;
    let secret = principal_token(&app, &ada, ("contoso", "ci-bot"), WS_PATH).await;
    assert_eq!(create_experiment(&app, &secret, "before").await, StatusCode::OK);

    let principal = ("service_principal", "ci-bot");
    let wrong = [ORG, principal, ("confirm_name", "ci")];
    let body = app.json(&ada, "service_principals/delete", &wrong, StatusCode::BAD_REQUEST).await;
    assert_eq!(field(&body), "confirm_name");
    let delete = [ORG, principal, ("confirm_name", "CI-BOT")];
    assert_eq!(app.call(&ada, "service_principals/delete", &delete).await.status(), StatusCode::OK);

    let refused =
        post(&detector(&app), &secret, "experiments/create", json!({ "name": "after" })).await;
    error(refused, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    assert!(!view.to_string().contains(BOT), "neither assigned nor offered: {view}");
    assert!(listed(&app, &ada).await.is_empty());
    assert_eq!(
        app.call(&ada, "service_principals/delete", &delete).await.status(),
        StatusCode::NOT_FOUND
    );
    let check = [("scope", WS_PATH), ("email", BOT)];
    app.json(&ada, "access/check", &check, StatusCode::BAD_REQUEST).await;

    // The workspace's log records the role going; the organization's, the deletion.
    let removed = &activity(&app, &ada, WS_PATH).await[0];
    assert_eq!(removed["action"], "Microsoft.Authorization/roleAssignments/delete");
    assert_eq!(removed["target"], format!("ci-bot <{BOT}>"));
    let deleted = &activity(&app, &ada, ORG_SCOPE).await[0];
    assert!(deleted["details"].as_str().unwrap().contains("delete service principal"));
    // History still names it; the name is free again, for a principal with nothing.
    let log = activity(&app, &ada, WS_PATH).await;
    assert!(log.iter().any(|e| e["actor"] == "ci-bot"), "what it did stays in the log");
    assert_eq!(service_principal(&app, &ada, "contoso", "ci-bot").await, BOT);
    assert_eq!(listed(&app, &ada).await[0]["roles"], 0);
    let old_token = get(&detector(&app), &secret, "experiments/search", &[]).await;
    error(old_token, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
}

#[tokio::test]
async fn a_service_principal_that_is_the_last_owner_somewhere_stays() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    grant_on_detector(&app, &ada, BOT, "Owner").await;
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    let own = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["display_name"] == "Ada" && a["inherited"] == false)
        .unwrap()["id"]
        .to_string();
    let remove = [("scope", WS_PATH), ("assignment", own.as_str())];
    assert_eq!(app.call(&ada, "access/remove", &remove).await.status(), StatusCode::OK);

    let delete = [ORG, ("service_principal", "ci-bot"), ("confirm_name", "ci-bot")];
    let body = app.json(&ada, "service_principals/delete", &delete, StatusCode::CONFLICT).await;
    assert!(body["message"].as_str().unwrap().contains("last Owner"), "{body}");
    assert_eq!(listed(&app, &ada).await.len(), 1, "nothing half-done");
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    assert!(view.to_string().contains(BOT));
}

#[tokio::test]
async fn a_service_principal_never_signs_in_and_no_one_signs_up_as_one() {
    let (app, ada) = app_with_workspace().await;
    service_principal(&app, &ada, "contoso", "ci-bot").await;
    let visitor = client();
    let unknown = app.sign_in(&visitor, "nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown: Value = unknown.json().await.unwrap();
    for password in [PASSWORD, "!service-principal: signs in with tokens only", ""] {
        let response = app.sign_in(&visitor, BOT, password).await;
        if password.is_empty() {
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            continue;
        }
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["message"], unknown["message"], "the same answer as an unknown address");
    }
    assert_eq!(app.current_user(&visitor).await, Value::Null);

    let form = [
        ("display_name", "Bot"),
        ("email", "ci-bot@contoso.service-principals.invalid"),
        ("password", PASSWORD),
    ];
    let body = app.json(&visitor, "auth/sign_up", &form, StatusCode::BAD_REQUEST).await;
    assert_eq!(field(&body), "email");
    let lookalike = [
        ("display_name", "Bot"),
        ("email", "someone@x.service-principals.invalid"),
        ("password", PASSWORD),
    ];
    app.json(&visitor, "auth/sign_up", &lookalike, StatusCode::BAD_REQUEST).await;
}
