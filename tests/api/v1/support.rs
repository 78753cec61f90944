//! Calling `/api/v1` with a token, as a script does (no cookies).

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// Sends `method path` with `token` as bearer and `body` as JSON (when not null); returns the
/// status and the JSON answer (null when there is none).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = crate::tracking_support::script()
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if !body.is_null() {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let text = response.text().await.expect("a body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON from {path}: {text}"))
    };
    (status, json)
}

pub async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    call(app, token, Method::GET, path, Value::Null).await
}

pub async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, token, Method::POST, path, body).await
}

pub async fn delete(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    call(app, token, Method::DELETE, path, Value::Null).await
}

/// Asserts an error answer with `code` and returns its message.
pub fn error(answer: &(StatusCode, Value), status: StatusCode, code: &str) -> String {
    let (got, body) = answer;
    assert_eq!((*got, body["code"].as_str()), (status, Some(code)), "{body}");
    body["message"].as_str().expect("a message").to_owned()
}
