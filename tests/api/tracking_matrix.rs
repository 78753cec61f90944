//! The tracking API's guard table (`server::mlflow::endpoints::ENDPOINTS`), checked endpoint by
//! endpoint: a Reader's token may do what reads and is refused the rest (PERMISSION_DENIED);
//! the owner's read-only token likewise; a stranger's token finds nothing
//! (RESOURCE_DOES_NOT_EXIST), whatever the endpoint. An endpoint in the table that is not
//! routed answers ENDPOINT_NOT_FOUND and fails here.

use atelier::server::mlflow::endpoints::ENDPOINTS;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::app_with_workspace;
use crate::tracking_support::{detector, grant_on_detector, script, token, WS_PATH};

async fn call(uri: &str, secret: &str, method: &str, path: &str) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request =
        script().request(method.clone(), format!("{uri}/api/2.0/{path}")).bearer_auth(secret);
    if method != Method::GET {
        request = request.json(&serde_json::json!({}));
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
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

    for &(method, path, action) in ENDPOINTS {
        for (who, secret) in [("reader", &reader), ("read-only token", &read_only)] {
            let (status, body) = call(&uri, secret, method, path).await;
            let code = body["error_code"].as_str().unwrap_or_default();
            assert_ne!(code, "ENDPOINT_NOT_FOUND", "{method} {path} is not routed");
            if action.is_read() {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{who}: {method} {path} ({action:?}) refused: {status} {body}"
                );
            } else {
                assert_eq!(
                    (status, code),
                    (StatusCode::FORBIDDEN, "PERMISSION_DENIED"),
                    "{who}: {method} {path} ({action:?}): {body}"
                );
            }
        }
        let (status, body) = call(&uri, &stranger, method, path).await;
        assert_eq!(
            (status, body["error_code"].as_str()),
            (StatusCode::NOT_FOUND, Some("RESOURCE_DOES_NOT_EXIST")),
            "stranger: {method} {path}: {body}"
        );
    }
}
