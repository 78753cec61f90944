//! The tracking API's guard table (`server::mlflow::endpoints::ENDPOINTS`), checked endpoint by
//! endpoint: a Reader's token may do what reads and is refused the rest (PERMISSION_DENIED);
//! the owner's read-only token likewise; a stranger's token, and the owner's token for another
//! workspace, find nothing (RESOURCE_DOES_NOT_EXIST), whatever the endpoint; a token that was
//! revoked, has expired or belongs to a disabled account is no credential at all
//! (UNAUTHENTICATED). Refusals come in MLflow's error shape, and nothing answers with a 5xx. An
//! endpoint in the table that is not routed answers ENDPOINT_NOT_FOUND and fails here.

use atelier::server::mlflow::endpoints::ENDPOINTS;
use atelier::server::throttle::Kind;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::app_with_workspace;
use crate::tracking_support::{
    detector, get, grant_on_detector, script, token, tracking_uri, WS_PATH,
};

/// Ada's second workspace, next to detector.
const OTHER_WS: (&str, &str, &str) = ("contoso", "vision", "segmenter");
const OTHER_WS_PATH: &str = "/organizations/contoso/resourceGroups/vision/workspaces/segmenter";

async fn call(uri: &str, secret: &str, method: &str, path: &str) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request =
        script().request(method.clone(), format!("{uri}/api/2.0/{path}")).bearer_auth(secret);
    if method != Method::GET {
        request = request.json(&serde_json::json!({}));
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    assert!(!status.is_server_error(), "{method} {path}: {status} {body}");
    (status, body)
}

/// Asserts that `answer` is MLflow's error `wanted`: the status, `error_code` and a `message`.
fn assert_error(answer: &(StatusCode, Value), wanted: (StatusCode, &str), context: &str) {
    let (status, body) = answer;
    assert_eq!((*status, body["error_code"].as_str()), (wanted.0, Some(wanted.1)), "{context}");
    assert!(body["message"].is_string(), "{context}: no message in {body}");
}

#[tokio::test]
async fn every_tracking_endpoint_allows_refuses_or_hides_as_its_action_says() {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let bob = app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&app, &ada, "bob@example.com", "Reader").await;
    let reader = token(&app, &bob, "reader", WS_PATH, false).await;
    let read_only = token(&app, &ada, "read only", WS_PATH, true).await;
    let carol = app.signed_in("Carol", "carol@example.com").await;
    let stranger = token(&app, &carol, "stranger", "everything", false).await;

    // Ada's token for her other workspace works there, never here.
    let created = app.create_workspace(&ada, "contoso/vision", "", OTHER_WS.2).await;
    assert_eq!(created.status(), StatusCode::OK);
    let elsewhere = token(&app, &ada, "elsewhere", OTHER_WS_PATH, false).await;
    let there = tracking_uri(&app, OTHER_WS);
    let works_there = get(&there, &elsewhere, "experiments/search", &[]).await.status();
    assert_eq!(works_there, StatusCode::OK);

    // Tokens that worked here, then stopped: revoked, past its end, its account disabled.
    let revoked = token(&app, &ada, "revoked", WS_PATH, false).await;
    let tomorrow = atelier::domain::format::date(app.clock.now() + 86_400);
    let form = [("name", "expiring"), ("reach", WS_PATH), ("ends_on", tomorrow.as_str())];
    let created = app.json(&ada, "tokens/create", &form, StatusCode::OK).await;
    let expired = created["secret"].as_str().expect("a secret").to_owned();
    let dora = app.signed_in("Dora", "dora@example.com").await;
    grant_on_detector(&app, &ada, "dora@example.com", "Reader").await;
    let disabled = token(&app, &dora, "dora's", WS_PATH, false).await;
    for secret in [&revoked, &expired, &disabled] {
        let works = get(&uri, secret, "experiments/search", &[]).await.status();
        assert_eq!(works, StatusCode::OK, "each token works at first");
    }
    let listed = app.json(&ada, "tokens/list", &[], StatusCode::OK).await;
    let tokens = listed["tokens"].as_array().expect("tokens");
    let id = tokens.iter().find(|t| t["name"] == "revoked").expect("the token")["id"].to_string();
    app.json(&ada, "tokens/revoke", &[("id", id.as_str())], StatusCode::OK).await;
    crate::matrix::disable_account(&app, &ada, "dora@example.com").await;
    app.clock.advance(3 * 86_400);

    let unauthenticated = (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let hidden = (StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
    let refusals = [
        ("a stranger's token", &stranger, hidden),
        ("a token for another workspace", &elsewhere, hidden),
        ("a revoked token", &revoked, unauthenticated),
        ("an expired token", &expired, unauthenticated),
        ("a disabled account's token", &disabled, unauthenticated),
    ];
    for &(method, path, action) in ENDPOINTS {
        for (who, secret) in [("reader", &reader), ("read-only token", &read_only)] {
            let answer = call(&uri, secret, method, path).await;
            let (status, body) = &answer;
            let code = body["error_code"].as_str().unwrap_or_default();
            assert_ne!(code, "ENDPOINT_NOT_FOUND", "{method} {path} is not routed");
            if action.is_read() {
                assert!(
                    *status != StatusCode::FORBIDDEN && *status != StatusCode::UNAUTHORIZED,
                    "{who}: {method} {path} ({action:?}) refused: {status} {body}"
                );
            } else {
                let forbidden = (StatusCode::FORBIDDEN, "PERMISSION_DENIED");
                assert_error(&answer, forbidden, &format!("{who}: {method} {path} ({action:?})"));
            }
        }
        for (who, secret, wanted) in &refusals {
            let answer = call(&uri, secret, method, path).await;
            assert_error(&answer, *wanted, &format!("{who}: {method} {path}"));
        }
        // Each refused token counts as a guess from this address, and these are not guesses:
        // forget them before the throttle (tested in throttling.rs) answers instead.
        app.state.throttle.clear(Kind::TokenGuessAddress, "127.0.0.1");
    }
}
