//! Invitations end to end over HTTP: invite, the stored hash (never the token), the link's
//! page, accepting (once, by the invited address only), expiry by the server's clock, revoke,
//! resend, sign-up through an invitation, batches, and the inbox.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, client, TestApp};

const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

async fn invite(app: &TestApp, owner: &Client, emails: &str, role: &str) -> Value {
    let form = [
        ("scope", WS),
        ("emails", emails),
        ("role", role),
        ("note", "Welcome"),
        ("access_ends", ""),
    ];
    app.json(owner, "invitations/create", &form, StatusCode::OK).await
}

/// The pending invitation to `email` at the workspace, as its Access control page lists it.
async fn pending(app: &TestApp, owner: &Client, email: &str) -> Option<Value> {
    let view = app.json(owner, "access/get", &[("scope", WS)], StatusCode::OK).await;
    view["invitations"].as_array().unwrap().iter().find(|i| i["email"] == email).cloned()
}

/// The token in the invitation's link, as the inviter copies it.
async fn token_for(app: &TestApp, owner: &Client, email: &str) -> String {
    let id = pending(app, owner, email).await.expect("a pending invitation")["id"].to_string();
    let link = app
        .json(owner, "invitations/link", &[("scope", WS), ("invitation", &id)], StatusCode::OK)
        .await;
    let link = link.as_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("{}/invite/", app.base_url)), "{link}");
    link.rsplit('/').next().unwrap().to_owned()
}

async fn landing(app: &TestApp, client: &Client, token: &str) -> Value {
    app.json(client, "invitations/landing", &[("token", token)], StatusCode::OK).await
}

async fn role_in_workspace(app: &TestApp, client: &Client) -> StatusCode {
    let form =
        [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
    app.call(client, "workspaces/get", &form).await.status()
}

#[tokio::test]
async fn only_the_token_hash_is_stored_and_accepting_gives_the_role_once() {
    let (app, ada) = app_with_workspace().await;
    let results = invite(&app, &ada, "Bob@Example.com", "Reader").await;
    assert_eq!(results, serde_json::json!([{ "email": "bob@example.com", "outcome": "Invited" }]));
    let token = token_for(&app, &ada, "bob@example.com").await;
    assert!(token.len() >= 22, "at least 128 bits");

    let pool = app.pool().await;
    let (hash, state): (String, String) =
        sqlx::query_as("SELECT token_hash, state FROM invitations").fetch_one(&pool).await.unwrap();
    assert_eq!(hash, atelier::server::secrets::token_hash(&token));
    assert_eq!(state, "pending");
    let (subject, sealed): (String, String) =
        sqlx::query_as("SELECT subject, sealed_body FROM outbox WHERE invitation_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(subject, "Ada invited you to workspace detector in contoso › vision on Atelier");
    assert!(!sealed.contains(&token), "the outbox keeps the link encrypted");

    // Opening the link shows the offer and changes nothing; the page sends no referrer.
    let visitor = client();
    let page = visitor.get(app.url(&format!("/invite/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let offer = landing(&app, &visitor, &token).await;
    assert_eq!(offer["Pending"]["role"], "Reader");
    assert_eq!(offer["Pending"]["email"], "bob@example.com");
    assert_eq!(offer["Pending"]["viewer"], "Visitor");
    assert_eq!(landing(&app, &visitor, &token).await["Pending"]["role"], "Reader");

    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::NOT_FOUND);
    assert_eq!(landing(&app, &bob, &token).await["Pending"]["viewer"], "Invitee");
    let accepted = app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::OK);
    assert_eq!(landing(&app, &visitor, &token).await, "Accepted");
    let again = app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(pending(&app, &ada, "bob@example.com").await.is_none());

    let log = app.json(&ada, "access/activity", &[("scope", WS)], StatusCode::OK).await;
    let details: Vec<String> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == "invitation to bob@example.com")
        .map(|e| e["details"].as_str().unwrap().to_owned())
        .collect();
    assert!(details.iter().any(|d| d.contains("\"invited\"")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("\"accepted\"")), "{details:?}");
}

#[tokio::test]
async fn of_two_simultaneous_accepts_exactly_one_succeeds() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let form = [("token", token.as_str())];
    let (a, b) = tokio::join!(
        app.call(&bob, "invitations/accept", &form),
        app.call(&bob, "invitations/accept", &form)
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::OK, "{statuses:?}");
    assert!(!statuses[1].is_success(), "{statuses:?}");
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_assignments a JOIN users u ON u.id = a.user_id WHERE u.email = 'bob@example.com'",
    )
    .fetch_one(&app.pool().await)
    .await
    .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn someone_else_signed_in_is_told_whose_it_is_masked_and_nothing_changes() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let offer = landing(&app, &carol, &token).await;
    assert_eq!(offer["Pending"]["viewer"]["SomeoneElse"]["masked_invited"], "b•••@e•••.com");
    assert_eq!(offer["Pending"]["email"], "");
    let refused = app.call(&carol, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("b•••@e•••.com"));
    assert_eq!(role_in_workspace(&app, &carol).await, StatusCode::NOT_FOUND);
    assert!(pending(&app, &ada, "bob@example.com").await.is_some());
}

#[tokio::test]
async fn an_invitation_expires_by_the_servers_clock() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    app.clock.advance(7 * 86_400 + 1);
    assert_eq!(landing(&app, &client(), &token).await, "Expired");
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(pending(&app, &ada, "bob@example.com").await.unwrap()["expired"], true);
    // A new invitation to the same address replaces the lapsed one.
    let again = invite(&app, &ada, "bob@example.com", "Reader").await;
    assert_eq!(again[0]["outcome"], "Invited");
    let log = app.json(&ada, "access/activity", &[("scope", WS)], StatusCode::OK).await;
    let expired = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["details"].as_str().unwrap().contains("\"expired\""))
        .expect("the expiry is in the workspace's activity log")
        .clone();
    assert_eq!(expired["scope"], WS);
    assert_eq!(expired["actor"], "Atelier (invitation expiry)");
}

#[tokio::test]
async fn a_revoked_link_is_dead_and_a_resent_one_replaces_the_old() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com, carol@example.com", "Reader").await;
    let bob_token = token_for(&app, &ada, "bob@example.com").await;
    let bob_id = pending(&app, &ada, "bob@example.com").await.unwrap()["id"].to_string();
    let revoke = [("scope", WS), ("invitation", bob_id.as_str())];
    assert_eq!(app.call(&ada, "invitations/revoke", &revoke).await.status(), StatusCode::OK);
    assert_eq!(landing(&app, &client(), &bob_token).await, "Revoked");

    let old = token_for(&app, &ada, "carol@example.com").await;
    let carol_id = pending(&app, &ada, "carol@example.com").await.unwrap()["id"].to_string();
    let resend = [("scope", WS), ("invitation", carol_id.as_str())];
    assert_eq!(app.call(&ada, "invitations/resend", &resend).await.status(), StatusCode::OK);
    let new = token_for(&app, &ada, "carol@example.com").await;
    assert_ne!(old, new);
    assert_eq!(landing(&app, &client(), &old).await, "Unknown");
    let change = [("scope", WS), ("invitation", carol_id.as_str()), ("role", "Contributor")];
    assert_eq!(app.call(&ada, "invitations/change_role", &change).await.status(), StatusCode::OK);
    let carol = app.signed_in("Carol", "carol@example.com").await;
    assert_eq!(landing(&app, &carol, &new).await["Pending"]["role"], "Contributor");
    assert_eq!(
        app.call(&carol, "invitations/accept", &[("token", &new)]).await.status(),
        StatusCode::OK
    );
    let access = app.json(&ada, "access/get", &[("scope", WS)], StatusCode::OK).await;
    let roles: Vec<&Value> = access["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["email"] == "carol@example.com")
        .map(|a| &a["role"])
        .collect();
    assert_eq!(roles, ["Contributor"]);
}

#[tokio::test]
async fn with_open_sign_up_off_only_the_invited_address_signs_up_through_its_link() {
    let (app, ada) = app_with_workspace().await;
    let closed = [("anyone_may_create_organizations", "on")];
    assert_eq!(app.call(&ada, "instance/save_settings", &closed).await.status(), StatusCode::OK);
    assert_eq!(
        app.sign_up(&client(), "Eve", "eve@example.com").await.status(),
        StatusCode::FORBIDDEN
    );

    invite(&app, &ada, "dan@example.com", "Reader").await;
    let token = token_for(&app, &ada, "dan@example.com").await;
    assert_eq!(landing(&app, &client(), &token).await["Pending"]["open_sign_up"], false);
    let with = |email: &'static str| {
        [
            ("display_name", "Dan"),
            ("email", email),
            ("password", crate::helpers::PASSWORD),
            ("invitation", token.as_str()),
        ]
    };
    let wrong = app.call(&client(), "auth/sign_up", &with("eve@example.com")).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let dan = client();
    let signed_up = app.call(&dan, "auth/sign_up", &with("Dan@example.com")).await;
    assert_eq!(signed_up.status(), StatusCode::OK);
    assert_eq!(
        app.call(&dan, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    assert_eq!(role_in_workspace(&app, &dan).await, StatusCode::OK);
}

#[tokio::test]
async fn a_batch_answers_per_address() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "erin@example.com", "Reader").await;
    let results = invite(
        &app,
        &ada,
        "dave@example.com, not-an-address\nada@example.com DAVE@example.com erin@example.com",
        "Owner",
    )
    .await;
    let outcome = |email: &str| {
        results.as_array().unwrap().iter().find(|r| r["email"] == email).unwrap()["outcome"].clone()
    };
    assert_eq!(results.as_array().unwrap().len(), 4, "{results}");
    assert_eq!(outcome("dave@example.com"), "Invited");
    assert_eq!(outcome("ada@example.com"), "AlreadyHasRole");
    assert_eq!(outcome("erin@example.com"), "AlreadyInvited");
    assert!(outcome("not-an-address")["Invalid"].is_string());

    let link_note = [
        ("scope", WS),
        ("emails", "x@example.com"),
        ("role", "Reader"),
        ("note", "see https://evil.example"),
        ("access_ends", ""),
    ];
    let refused = app.call(&ada, "invitations/create", &link_note).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_inbox_lists_invitations_to_my_address_and_declining_closes_them() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let id = pending(&app, &ada, "bob@example.com").await.unwrap()["id"].to_string();
    // Anyone could have signed up as bob@example.com: until the address is confirmed, there is
    // no inbox to accept or decline from.
    let inbox = app.json(&bob, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["address_verified"], false);
    assert_eq!(inbox["items"], serde_json::json!([]));
    let unproven =
        app.call(&bob, "invitations/answer", &[("invitation", &id), ("answer", "accept")]).await;
    assert_eq!(unproven.status(), StatusCode::FORBIDDEN);
    assert!(unproven.text().await.unwrap().contains("Confirm your address first"));
    crate::membership::confirmed_by_admin(&app, &ada, &bob).await;

    let inbox = app.json(&bob, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["address_verified"], true);
    let inbox = &inbox["items"];
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert_eq!(inbox[0]["inviter"], "Ada");
    assert_eq!(inbox[0]["id"].to_string(), id);
    let carol = app.signed_in("Carol", "carol@example.com").await;
    crate::membership::confirmed_by_admin(&app, &ada, &carol).await;
    assert_eq!(
        app.json(&carol, "invitations/mine", &[], StatusCode::OK).await["items"],
        serde_json::json!([])
    );
    let stolen =
        app.call(&carol, "invitations/answer", &[("invitation", &id), ("answer", "accept")]).await;
    assert_eq!(stolen.status(), StatusCode::NOT_FOUND);
    let declined =
        app.call(&bob, "invitations/answer", &[("invitation", &id), ("answer", "decline")]).await;
    assert_eq!(declined.status(), StatusCode::OK);
    assert_eq!(landing(&app, &client(), &token).await, "Declined");
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_used_invitation_link_proves_nothing_but_a_confirmed_address_accepts_from_the_inbox() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    let group = [
        ("scope", "/organizations/contoso/resourceGroups/vision"),
        ("emails", "bob@example.com"),
        ("role", "Contributor"),
        ("note", ""),
        ("access_ends", ""),
    ];
    app.json(&ada, "invitations/create", &group, StatusCode::OK).await;
    // The inviter could copy that link: using it does not show the address is Bob's.
    let inbox = app.json(&bob, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["address_verified"], false);
    // The confirmation link mailed at sign-up does.
    let link = crate::proven_addresses::outbox_link(&app, &ada, "bob@example.com", "confirm").await;
    let confirmed = app.call(&client(), "auth/confirm_address", &[("token", &link)]).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let inbox = app.json(&bob, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["address_verified"], true);
    let id = inbox["items"][0]["id"].to_string();
    let accepted =
        app.call(&bob, "invitations/answer", &[("invitation", &id), ("answer", "accept")]).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let view = app.json(&bob, "access/get", &[("scope", WS)], StatusCode::OK).await;
    assert!(view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["role"] == "Contributor" && a["email"] == "bob@example.com"));
}

#[tokio::test]
async fn links_are_forgotten_once_used_and_only_those_who_may_give_the_role_pass_them_on() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Owner").await;
    let id = pending(&app, &ada, "bob@example.com").await.unwrap()["id"].to_string();
    // A custom role that may write invitations but not give roles cannot copy an Owner link.
    let role = [
        ("organization", "contoso"),
        ("name", "Inviter"),
        ("actions", "Microsoft.Authorization/invitations/*\n*/read"),
        ("assignable_scopes", "/organizations/contoso"),
    ];
    assert_eq!(app.call(&ada, "roles/save", &role).await.status(), StatusCode::OK);
    app.signed_in("Ivan", "ivan@example.com").await;
    crate::membership::give(&app, &ada, WS, "ivan@example.com", "Inviter").await;
    let ivan = crate::helpers::client();
    app.sign_in(&ivan, "ivan@example.com", crate::helpers::PASSWORD).await;
    let form = [("scope", WS), ("invitation", id.as_str())];
    for endpoint in ["invitations/link", "invitations/resend"] {
        assert_eq!(
            app.call(&ivan, endpoint, &form).await.status(),
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }

    let token = token_for(&app, &ada, "bob@example.com").await;
    let pool = app.pool().await;
    let bobs_link = "SELECT sealed_link FROM outbox WHERE recipient = 'bob@example.com' \
                     AND invitation_id IS NOT NULL";
    let kept: String = sqlx::query_scalar(bobs_link).fetch_one(&pool).await.unwrap();
    assert!(!kept.is_empty() && !kept.contains(&token));
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    let kept: String = sqlx::query_scalar(bobs_link).fetch_one(&pool).await.unwrap();
    assert_eq!(kept, "", "the link is forgotten once the invitation is used");
    let outbox = app.json(&ada, "instance/outbox", &[], StatusCode::OK).await;
    let messages = outbox["messages"].as_array().unwrap();
    // (Bob's other message is the confirmation of his address at sign-up.)
    let bobs = messages
        .iter()
        .find(|m| {
            m["recipient"] == "bob@example.com"
                && m["subject"].as_str().unwrap().contains("invited")
        })
        .unwrap();
    let text = bobs["text"].as_str().unwrap();
    assert!(!text.contains("/invite/") && text.contains("(link no longer kept)"), "{text}");
}

#[tokio::test]
async fn invitations_go_with_the_inviters_access() {
    let (app, ada) = app_with_workspace().await;
    let olga = app.signed_in("Olga", "olga@example.com").await;
    crate::membership::give(&app, &ada, WS, "olga@example.com", "Owner").await;
    invite(&app, &olga, "frank@example.com", "Reader").await;
    let token = token_for(&app, &ada, "frank@example.com").await;
    let access = app.json(&ada, "access/get", &[("scope", WS)], StatusCode::OK).await;
    let olga_assignment = access["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "olga@example.com")
        .unwrap()["id"]
        .to_string();
    let remove = [("scope", WS), ("assignment", olga_assignment.as_str())];
    assert_eq!(app.call(&ada, "access/remove", &remove).await.status(), StatusCode::OK);
    assert_eq!(landing(&app, &client(), &token).await, "Revoked");
}

#[tokio::test]
async fn access_from_an_invitation_with_an_end_date_ends_then_after_a_reminder() {
    use atelier::server::mail::housekeeping;
    let (app, ada) = app_with_workspace().await;
    let now = app.clock.now();
    let ends = atelier::ui::format::date(now + 5 * 86_400);
    let form = [
        ("scope", WS),
        ("emails", "bob@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ends.as_str()),
    ];
    app.json(&ada, "invitations/create", &form, StatusCode::OK).await;
    let past = [
        ("scope", WS),
        ("emails", "x@example.com"),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", "2020-01-01"),
    ];
    assert_eq!(app.call(&ada, "invitations/create", &past).await.status(), StatusCode::BAD_REQUEST);
    let token = token_for(&app, &ada, "bob@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(
        app.call(&bob, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    let access = app.json(&ada, "access/get", &[("scope", WS)], StatusCode::OK).await;
    let bobs = access["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "bob@example.com")
        .unwrap()
        .clone();
    let expires_at = bobs["expires_at"].as_i64().expect("the end date is shown");
    assert!(expires_at > now + 4 * 86_400 && expires_at <= now + 5 * 86_400, "{bobs}");

    // Three days before the end, whoever invited is reminded (once).
    app.clock.advance(expires_at - now - 2 * 86_400);
    housekeeping::tidy(&app.state).await.unwrap();
    housekeeping::tidy(&app.state).await.unwrap();
    let pool = app.pool().await;
    let reminders: Vec<(String, String)> = sqlx::query_as(
        "SELECT recipient, subject FROM outbox \
                     WHERE invitation_id IS NULL AND account_link_id IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert_eq!(reminders[0].0, "ada@example.com");
    assert!(reminders[0].1.starts_with("Access for Bob <bob@example.com>"), "{reminders:?}");
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::OK);

    // At the end the assignment goes.
    app.clock.advance(3 * 86_400);
    housekeeping::tidy(&app.state).await.unwrap();
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_assignment_past_its_end_grants_nothing_even_before_housekeeping() {
    let (app, ada) = app_with_workspace().await;
    invite(&app, &ada, "bob@example.com", "Reader").await;
    let token = token_for(&app, &ada, "bob@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    app.call(&bob, "invitations/accept", &[("token", &token)]).await;
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::OK);
    sqlx::query("UPDATE role_assignments SET expires_at = 1 WHERE role_name = 'Reader'")
        .execute(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(role_in_workspace(&app, &bob).await, StatusCode::NOT_FOUND);
}
