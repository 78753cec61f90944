//! Proven addresses: an address is someone's only once a link Atelier mailed there (and that no
//! inviter can copy) was used, or the instance admin confirmed it. Until then an account can use
//! its own organizations but receives nothing by email, and whoever confirms the address first
//! keeps it. Forgotten passwords by link; changing the address confirms it first.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use atelier::server::config::{SmtpSecurity, SmtpSettings};

use crate::helpers::{app_with_workspace, client, spawn_app, spawn_app_with, TestApp, PASSWORD};
use crate::smtp_sink::SmtpSink;

const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

fn sign_up_form<'a>(name: &'a str, email: &'a str, password: &'a str) -> [(&'a str, &'a str); 3] {
    [("display_name", name), ("email", email), ("password", password)]
}

/// The token of the newest link of `kind` ("confirm" or "reset-password") mailed to `email`,
/// read from the outbox by the instance admin.
pub async fn outbox_link(app: &TestApp, admin: &Client, email: &str, kind: &str) -> String {
    let outbox = app.json(admin, "instance/outbox", &[], StatusCode::OK).await;
    let needle = format!("/{kind}/");
    outbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == email)
        .find_map(|m| token_after(m["text"].as_str().unwrap(), &needle))
        .unwrap_or_else(|| panic!("no {kind} link for {email} in {outbox}"))
}

fn token_after(text: &str, needle: &str) -> Option<String> {
    let at = text.find(needle)? + needle.len();
    let token: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

async fn confirm(app: &TestApp, token: &str) -> reqwest::Response {
    app.call(&client(), "auth/confirm_address", &[("token", token)]).await
}

async fn invite(app: &TestApp, owner: &Client, scope: &str, email: &str) {
    let form = [
        ("scope", scope),
        ("emails", email),
        ("role", "Reader"),
        ("note", ""),
        ("access_ends", ""),
    ];
    app.json(owner, "invitations/create", &form, StatusCode::OK).await;
}

async fn invitation_link(app: &TestApp, owner: &Client, scope: &str, email: &str) -> String {
    let view = app.json(owner, "access/get", &[("scope", scope)], StatusCode::OK).await;
    let id = view["invitations"].as_array().unwrap().iter().find(|i| i["email"] == email).unwrap()
        ["id"]
        .to_string();
    let form = [("scope", scope), ("invitation", id.as_str())];
    let link = app.json(owner, "invitations/link", &form, StatusCode::OK).await;
    link.as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn workspace_status(app: &TestApp, person: &Client) -> StatusCode {
    let form =
        [("organization", "contoso"), ("resource_group", "vision"), ("workspace", "detector")];
    app.call(person, "workspaces/get", &form).await.status()
}

#[tokio::test]
async fn a_copied_invitation_link_does_not_prove_an_address_and_the_real_owner_still_claims_it() {
    let (app, ada) = app_with_workspace().await;
    // Mallory invites alice@corp.com to an organization of her own and copies the link.
    let mallory = app.signed_in("Mallory", "mallory@evil.example").await;
    app.workspace_fixture(&mallory, "evil", "bait", "trap").await;
    let trap = "/organizations/evil/resourceGroups/bait/workspaces/trap";
    invite(&app, &mallory, trap, "alice@corp.com").await;
    let token = invitation_link(&app, &mallory, trap, "alice@corp.com").await;
    // She signs up through the link as Alice and accepts her own invitation.
    let fake = client();
    let form = [
        ("display_name", "Alice"),
        ("email", "alice@corp.com"),
        ("password", "mallory's own password"),
        ("invitation", token.as_str()),
    ];
    assert_eq!(app.call(&fake, "auth/sign_up", &form).await.status(), StatusCode::OK);
    assert_eq!(
        app.call(&fake, "invitations/accept", &[("token", &token)]).await.status(),
        StatusCode::OK
    );
    let me = app.current_user(&fake).await;
    assert_eq!(me["email_confirmed"], false, "a link the inviter can copy proves nothing");

    // Corp invites the real Alice: the impostor sees no inbox and can answer nothing.
    invite(&app, &ada, WS, "alice@corp.com").await;
    assert_eq!(app.current_user(&fake).await["pending_invitations"], 0);
    let inbox = app.json(&fake, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["items"], serde_json::json!([]));
    assert_eq!(inbox["address_verified"], false);
    let view = app.json(&ada, "access/get", &[("scope", WS)], StatusCode::OK).await;
    let id = view["invitations"][0]["id"].to_string();
    for answer in ["accept", "decline"] {
        let form = [("invitation", id.as_str()), ("answer", answer)];
        let refused = app.call(&fake, "invitations/answer", &form).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{answer}");
    }
    assert_eq!(workspace_status(&app, &fake).await, StatusCode::NOT_FOUND);

    // The real Alice can still sign up, confirms from her mail, and the impostor is released.
    let alice = client();
    let form = sign_up_form("Alice", "alice@corp.com", PASSWORD);
    assert_eq!(app.call(&alice, "auth/sign_up", &form).await.status(), StatusCode::OK);
    let link = outbox_link(&app, &ada, "alice@corp.com", "confirm").await;
    assert_eq!(confirm(&app, &link).await.status(), StatusCode::OK);
    assert_eq!(app.current_user(&alice).await["email_confirmed"], true);
    assert_eq!(app.current_user(&fake).await, Value::Null, "the released claimant is signed out");
    let wrong = app.sign_in(&client(), "alice@corp.com", "mallory's own password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    // Alice accepts Corp's invitation from her inbox.
    let inbox = app.json(&alice, "invitations/mine", &[], StatusCode::OK).await;
    assert_eq!(inbox["items"].as_array().unwrap().len(), 1, "{inbox}");
    let form = [("invitation", id.as_str()), ("answer", "accept")];
    assert_eq!(app.call(&alice, "invitations/answer", &form).await.status(), StatusCode::OK);
    assert_eq!(workspace_status(&app, &alice).await, StatusCode::OK);
}

/// Ada gives `role` at `scope` to `email` by address; what the grant answered.
async fn grant(app: &TestApp, ada: &Client, scope: &str, email: &str, role: &str) -> Value {
    let form = [("scope", scope), ("email", email), ("role", role)];
    app.json(ada, "access/grant", &form, StatusCode::OK).await
}

#[tokio::test]
async fn a_member_whose_address_is_unconfirmed_is_invited_rather_than_granted_by_email() {
    let (app, ada) = app_with_workspace().await;
    // Bob joined through a link (which an inviter can copy) and never confirmed his address.
    let bob = app.signed_in("Bob", "bob@example.com").await;
    crate::membership::add_member(&app, &ada, &bob, WS, "Reader").await;
    assert_eq!(app.current_user(&bob).await["email_confirmed"], false);

    let org = "/organizations/contoso";
    assert_eq!(grant(&app, &ada, org, "bob@example.com", "Contributor").await, "Invited");
    let experiment = [
        ("organization", "contoso"),
        ("resource_group", "vision"),
        ("workspace", "detector"),
        ("name", "bobs"),
    ];
    let refused = app.call(&bob, "experiments/create", &experiment).await.status();
    assert_eq!(refused, StatusCode::FORBIDDEN, "nothing is given to an unproven address");
    let view = app.json(&ada, "access/get", &[("scope", org)], StatusCode::OK).await;
    assert_eq!(view["invitations"][0]["email"], "bob@example.com", "{view}");

    // Once Bob proves his address, a grant by email reaches him at once.
    let link = outbox_link(&app, &ada, "bob@example.com", "confirm").await;
    assert_eq!(confirm(&app, &link).await.status(), StatusCode::OK);
    let granted = grant(&app, &ada, WS, "bob@example.com", "Contributor").await;
    assert_eq!(granted, serde_json::json!({"Granted": {"expires_at": null}}));
    let created = app.call(&bob, "experiments/create", &experiment).await.status();
    assert_eq!(created, StatusCode::OK);
}

#[tokio::test]
async fn confirmation_links_work_once_until_they_expire_and_opening_one_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("Ada", "ada@example.com").await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    assert_eq!(app.current_user(&bob).await["email_confirmed"], false);
    let first = outbox_link(&app, &admin, "bob@example.com", "confirm").await;
    // Mail scanners open links: the page alone confirms nothing.
    let page = client().get(app.url(&format!("/confirm/{first}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(app.current_user(&bob).await["email_confirmed"], false);

    app.clock.advance(24 * 3600 + 1);
    assert_eq!(confirm(&app, &first).await.status(), StatusCode::NOT_FOUND, "expired");
    // (A day later both have to sign in again.)
    assert_eq!(app.sign_in(&admin, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.sign_in(&bob, "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.call(&bob, "auth/resend_confirmation", &[]).await.status(), StatusCode::OK);
    let second = outbox_link(&app, &admin, "bob@example.com", "confirm").await;
    assert_ne!(first, second);
    assert_eq!(confirm(&app, &second).await.status(), StatusCode::OK);
    assert_eq!(confirm(&app, &second).await.status(), StatusCode::NOT_FOUND, "used");
    assert_eq!(app.current_user(&bob).await["email_confirmed"], true);
    assert_eq!(confirm(&app, "made-up").await.status(), StatusCode::NOT_FOUND);
    // A used link is forgotten in the outbox too.
    let outbox = app.json(&admin, "instance/outbox", &[], StatusCode::OK).await;
    assert!(!outbox.to_string().contains(&second));
}

#[tokio::test]
async fn the_instance_admin_confirms_accounts_when_there_is_no_mail_server() {
    let app = spawn_app().await;
    let admin = app.signed_in("Ada", "ada@example.com").await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let listed = app.json(&admin, "instance/unconfirmed", &[], StatusCode::OK).await;
    let carols = listed.as_array().unwrap().iter().find(|a| a["email"] == "carol@example.com");
    let id = carols.expect("Carol is listed")["id"].to_string();
    // Only the instance admin: anyone else is told there is no such thing.
    let form = [("user", id.as_str())];
    let refused = app.call(&carol, "instance/confirm_account", &form).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&carol, "instance/unconfirmed", &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&admin, "instance/confirm_account", &form).await.status(), StatusCode::OK);
    assert_eq!(app.current_user(&carol).await["email_confirmed"], true);
    let listed = app.json(&admin, "instance/unconfirmed", &[], StatusCode::OK).await;
    assert!(!listed.to_string().contains("carol@example.com"));
    let again = app.call(&admin, "instance/confirm_account", &form).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn signing_up_with_a_confirmed_address_answers_as_a_new_sign_up_and_tells_its_owner() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    let id = app.current_user(&ada).await["id"].to_string();
    app.json(&ada, "instance/confirm_account", &[("user", &id)], StatusCode::OK).await;
    let fresh = app
        .call(&client(), "auth/sign_up", &sign_up_form("New", "new@example.com", PASSWORD))
        .await;
    let taken = app
        .call(&client(), "auth/sign_up", &sign_up_form("Eve", "ADA@example.com", "eve's password"))
        .await;
    assert_eq!(fresh.status(), taken.status());
    assert_eq!(fresh.text().await.unwrap(), taken.text().await.unwrap());
    let outbox = app.json(&ada, "instance/outbox", &[], StatusCode::OK).await;
    let to_ada: Vec<&Value> = outbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == "ADA@example.com")
        .collect();
    assert_eq!(to_ada.len(), 1, "{outbox}");
    assert_eq!(to_ada[0]["subject"], "Someone tried to sign up with your address");
    assert!(!to_ada[0]["text"].as_str().unwrap().contains("/confirm/"));
    // The address stays Ada's.
    assert_eq!(app.sign_in(&client(), "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
    let eve = app.sign_in(&client(), "ada@example.com", "eve's password").await;
    assert_eq!(eve.status(), StatusCode::UNAUTHORIZED);
}

async fn app_with_mail(sink: &SmtpSink) -> TestApp {
    let port = sink.port;
    spawn_app_with(|settings| {
        settings.smtp = Some(SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        });
    })
    .await
}

/// The token of the newest link of `kind` that reached `email` through SMTP.
async fn mailed_link(sink: &SmtpSink, count: usize, email: &str, kind: &str) -> String {
    let received = sink.wait_for(count).await;
    let needle = format!("/{kind}/");
    received
        .iter()
        .rev()
        .filter(|m| m.to.iter().any(|to| to.contains(email)))
        .find_map(|m| token_after(&m.data.replace("=\r\n", ""), &needle))
        .unwrap_or_else(|| panic!("no {kind} link to {email}"))
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_and_ends_every_session_and_token_of_the_account() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    let bob = app.signed_in("Bob", "bob@example.com").await; // mail 1: confirmation
    let laptop = client();
    assert_eq!(app.sign_in(&laptop, "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
    let form = [("name", "ci"), ("reach", "everything"), ("ends_on", "")];
    app.json(&bob, "tokens/create", &form, StatusCode::OK).await;

    let known = app.call(&client(), "auth/forgot_password", &[("email", "bob@example.com")]).await;
    let unknown =
        app.call(&client(), "auth/forgot_password", &[("email", "nobody@example.com")]).await;
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let token = mailed_link(&sink, 2, "bob@example.com", "reset-password").await;
    assert_eq!(sink.messages().len(), 2, "nothing is mailed to an address without an account");

    let form = [("token", token.as_str()), ("password", "a brand new passphrase")];
    assert_eq!(app.call(&client(), "auth/reset_password", &form).await.status(), StatusCode::OK);
    assert_eq!(app.current_user(&bob).await, Value::Null);
    assert_eq!(app.current_user(&laptop).await, Value::Null);
    let again = app.call(&client(), "auth/reset_password", &form).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "a reset link works once");

    let old = app.sign_in(&client(), "bob@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let bob = client();
    let new = app.sign_in(&bob, "bob@example.com", "a brand new passphrase").await;
    assert_eq!(new.status(), StatusCode::OK);
    let tokens = app.json(&bob, "tokens/list", &[], StatusCode::OK).await;
    assert!(
        tokens["tokens"].as_array().unwrap().iter().all(|t| !t["revoked_at"].is_null()),
        "{tokens}"
    );
    // The link went only to the address: using it proves the address.
    assert_eq!(app.current_user(&bob).await["email_confirmed"], true);
}

#[tokio::test]
async fn reset_links_expire_within_the_hour() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    app.signed_in("Bob", "bob@example.com").await;
    app.call(&client(), "auth/forgot_password", &[("email", "bob@example.com")]).await;
    let token = mailed_link(&sink, 2, "bob@example.com", "reset-password").await;
    app.clock.advance(3601);
    let form = [("token", token.as_str()), ("password", "a brand new passphrase")];
    assert_eq!(
        app.call(&client(), "auth/reset_password", &form).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.sign_in(&client(), "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_new_address_needs_the_password_and_takes_effect_once_confirmed() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    let dave = app.signed_in("Dave", "dave@example.com").await; // mail 1
    let wrong = [("email", "dave@new.example"), ("current_password", "not my password")];
    let refused = app.json(&dave, "account/change_email", &wrong, StatusCode::BAD_REQUEST).await;
    assert_eq!(refused["field"], "current_password");
    let form = [("email", "dave@new.example"), ("current_password", PASSWORD)];
    app.json(&dave, "account/change_email", &form, StatusCode::OK).await;
    let token = mailed_link(&sink, 3, "dave@new.example", "confirm").await;
    let received = sink.messages();
    let told = received.iter().find(|m| {
        m.to.iter().any(|to| to.contains("dave@example.com")) && m.data.contains("dave@new.example")
    });
    assert!(told.is_some(), "the old address is told");
    let account = app.json(&dave, "account/get", &[], StatusCode::OK).await;
    assert_eq!(account["email"], "dave@example.com", "nothing changes before confirmation");
    assert_eq!(account["pending_email"], "dave@new.example");

    assert_eq!(confirm(&app, &token).await.status(), StatusCode::OK);
    let me = app.current_user(&dave).await;
    assert_eq!(me["email"], "dave@new.example");
    assert_eq!(me["email_confirmed"], true);
    assert_eq!(app.sign_in(&client(), "dave@new.example", PASSWORD).await.status(), StatusCode::OK);
    let old = app.sign_in(&client(), "dave@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    let phone = client();
    app.sign_in(&phone, "ada@example.com", PASSWORD).await;
    let wrong = [("current_password", "guess guess"), ("new_password", "another passphrase")];
    let refused = app.json(&ada, "account/change_password", &wrong, StatusCode::BAD_REQUEST).await;
    assert_eq!(refused["field"], "current_password");
    let form = [("current_password", PASSWORD), ("new_password", "another passphrase")];
    app.json(&ada, "account/change_password", &form, StatusCode::OK).await;
    assert_eq!(app.current_user(&ada).await["email"], "ada@example.com", "this session stays");
    assert_eq!(app.current_user(&phone).await, Value::Null, "the others end");
    let renamed = [("display_name", "Ada L.")];
    app.json(&ada, "account/rename", &renamed, StatusCode::OK).await;
    assert_eq!(app.current_user(&ada).await["display_name"], "Ada L.");
    let again = app.sign_in(&client(), "ada@example.com", "another passphrase").await;
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unconfirmed_account_uses_its_own_organizations() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    assert_eq!(app.current_user(&ada).await["email_confirmed"], false);
    app.workspace_fixture(&ada, "contoso", "vision", "detector").await;
    assert_eq!(workspace_status(&app, &ada).await, StatusCode::OK);
}

#[tokio::test]
async fn asking_again_for_the_link_without_javascript_comes_back_saying_it_went() {
    let (app, _ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let sent = app.submit_form(&bob, "/", "auth/resend_confirmation", &[]).await;
    assert_eq!(sent.status(), StatusCode::FOUND);
    let location = sent.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/?done=%2Fapi%2Fauth%2Fresend_confirmation");
    let page = bob.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("A new link is on its way."), "{page}");
}
