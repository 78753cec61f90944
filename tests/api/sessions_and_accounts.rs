//! Sessions end when idle and, however active, some time after signing in (by the server's
//! clock); a person lists their sessions and ends one or all others; an instance admin
//! disables an account, which ends its sessions and tokens at once and refuses it everywhere.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, client, spawn_app_with, TestApp, PASSWORD};
use crate::tracking_support::{answer, detector, get, token};

async fn signed_in(app: &TestApp, client: &Client) -> bool {
    !app.current_user(client).await.is_null()
}

#[tokio::test]
async fn a_session_ends_after_its_idle_time_and_activity_keeps_it_until_its_absolute_end() {
    let app = spawn_app_with(|settings| {
        settings.session_idle_minutes = 60;
        settings.session_absolute_hours = 3;
    })
    .await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    // Active every 50 minutes: still signed in after 2.5 hours.
    for _ in 0..3 {
        app.clock.advance(50 * 60);
        assert!(signed_in(&app, &ada).await);
    }
    // Past three hours since signing in, however active.
    app.clock.advance(40 * 60);
    assert!(!signed_in(&app, &ada).await);

    // Idle for longer than an hour ends a fresh session too.
    assert_eq!(app.sign_in(&ada, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert!(signed_in(&app, &ada).await);
    app.clock.advance(61 * 60);
    assert!(!signed_in(&app, &ada).await);
}

fn browser(agent: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent.to_owned())
        .build()
        .unwrap()
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

async fn sessions(app: &TestApp, client: &Client) -> Vec<Value> {
    let listed = app.json(client, "sessions/list", &[], StatusCode::OK).await;
    listed.as_array().unwrap().clone()
}

#[tokio::test]
async fn my_sessions_are_listed_and_i_end_one_or_all_the_others() {
    let app = crate::helpers::spawn_app().await;
    let laptop = browser(FIREFOX);
    assert_eq!(app.sign_up(&laptop, "Ada", "ada@example.com").await.status(), StatusCode::OK);
    let office = browser(CHROME);
    assert_eq!(app.sign_in(&office, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
    let phone = client();
    assert_eq!(app.sign_in(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);

    let listed = sessions(&app, &laptop).await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    let names: Vec<&str> = listed.iter().map(|s| s["browser"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"Firefox on Linux") && names.contains(&"Chrome on Windows"),
        "{names:?}"
    );
    let current: Vec<&Value> = listed.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["browser"], "Firefox on Linux");
    assert_eq!(current[0]["address"], "127.0.0.1");
    let serialized = serde_json::to_string(&listed).unwrap();
    assert!(!serialized.contains("atelier_session"), "no cookie values are listed");

    // The office session, ended from the laptop.
    let office_key = listed.iter().find(|s| s["browser"] == "Chrome on Windows").unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let ended = app.call(&laptop, "sessions/end", &[("key", &office_key)]).await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert!(!signed_in(&app, &office).await);
    assert!(signed_in(&app, &phone).await);
    // Not this one, and not someone else's.
    let own = current[0]["key"].as_str().unwrap().to_owned();
    let refused = app.call(&laptop, "sessions/end", &[("key", &own)]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let bobs = sessions(&app, &bob).await[0]["key"].as_str().unwrap().to_owned();
    let refused = app.call(&laptop, "sessions/end", &[("key", &bobs)]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(signed_in(&app, &bob).await);

    let all = app.json(&laptop, "sessions/end_others", &[], StatusCode::OK).await;
    assert_eq!(all, 1);
    assert!(!signed_in(&app, &phone).await);
    assert!(signed_in(&app, &laptop).await);
    assert_eq!(sessions(&app, &laptop).await.len(), 1);
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_refused_everywhere_until_enabled() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let bobs_token = token(&app, &bob, "mine", "everything", false).await;
    let uri = detector(&app);
    let accounts = app.json(&ada, "instance/accounts", &[("search", "bob")], StatusCode::OK).await;
    assert_eq!(accounts.as_array().unwrap().len(), 1);
    let id = accounts[0]["id"].to_string();

    // Only the instance admin may, and not on their own account.
    let refused = app
        .call(&bob, "instance/set_account_disabled", &[("account", &id), ("disabled", "true")])
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let me = app.json(&ada, "instance/accounts", &[("search", "ada")], StatusCode::OK).await;
    let my_id = me[0]["id"].to_string();
    let refused = app
        .call(&ada, "instance/set_account_disabled", &[("account", &my_id), ("disabled", "true")])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    let disabled = app
        .call(&ada, "instance/set_account_disabled", &[("account", &id), ("disabled", "true")])
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert!(!signed_in(&app, &bob).await, "his session ended at once");
    let (status, body) = answer(get(&uri, &bobs_token, "experiments/search", &[]).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED"))
    );
    let again = client();
    let refused = app.sign_in(&again, "bob@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let listed = app.json(&ada, "instance/accounts", &[("search", "bob")], StatusCode::OK).await;
    assert_eq!(listed[0]["disabled"], true);

    let enabled = app
        .call(&ada, "instance/set_account_disabled", &[("account", &id), ("disabled", "false")])
        .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_eq!(app.sign_in(&again, "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
    // Tokens revoked by disabling stay revoked.
    let (status, _) = answer(get(&uri, &bobs_token, "experiments/search", &[]).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
