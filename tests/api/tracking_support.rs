//! Tokens and calls to a workspace's tracking API, shared by the token, tracking and MLflow
//! client tests.

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

pub const WS_PATH: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

/// Creates a token as `client` and returns its secret.
pub async fn token(
    app: &TestApp,
    client: &Client,
    name: &str,
    reach: &str,
    read_only: bool,
) -> String {
    let mut form = vec![("name", name), ("reach", reach), ("ends_on", "")];
    if read_only {
        form.push(("read_only", "on"));
    }
    let created = app.json(client, "tokens/create", &form, StatusCode::OK).await;
    created["secret"].as_str().expect("a secret").to_owned()
}

/// The tracking URI of workspace `org/group/ws`.
pub fn tracking_uri(app: &TestApp, (org, group, ws): (&str, &str, &str)) -> String {
    app.url(&format!(
        "/mlflow/v1.0/subscriptions/{org}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{ws}"
    ))
}

/// Ada's workspace's tracking URI.
pub fn detector(app: &TestApp) -> String {
    tracking_uri(app, ("contoso", "vision", "detector"))
}

/// A plain HTTP client, as scripts are: no cookies.
pub fn script() -> Client {
    Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("client")
}

/// POSTs JSON to `{uri}/api/2.0/mlflow/{endpoint}` with a bearer token.
pub async fn post(uri: &str, token: &str, endpoint: &str, body: Value) -> Response {
    script()
        .post(format!("{uri}/api/2.0/mlflow/{endpoint}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request sent")
}

/// GETs `{uri}/api/2.0/mlflow/{endpoint}` with query pairs and a bearer token.
pub async fn get(uri: &str, token: &str, endpoint: &str, query: &[(&str, &str)]) -> Response {
    script()
        .get(format!("{uri}/api/2.0/mlflow/{endpoint}"))
        .bearer_auth(token)
        .query(query)
        .send()
        .await
        .expect("request sent")
}

/// The status and JSON body of a response.
pub async fn answer(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts an MLflow error answer and returns its message.
pub async fn error(response: Response, status: StatusCode, code: &str) -> String {
    let (got, body) = answer(response).await;
    assert_eq!((got, body["error_code"].as_str()), (status, Some(code)), "{body}");
    body["message"].as_str().unwrap_or_default().to_owned()
}

/// Gives `email` the role `role` on Ada's workspace, as `owner` (someone outside the
/// organization by invitation, accepted).
pub async fn grant_on_detector(app: &TestApp, owner: &Client, email: &str, role: &str) {
    crate::membership::give(app, owner, WS_PATH, email, role).await;
}

/// Creates service principal `name` in organization `org` as `client`, returning its identity.
pub async fn service_principal(app: &TestApp, client: &Client, org: &str, name: &str) -> String {
    let form = [("organization", org), ("name", name)];
    let created = app.json(client, "service_principals/create", &form, StatusCode::OK).await;
    created.as_str().expect("an identity").to_owned()
}

/// Creates a token for service principal `name` of `org` as `client`, reaching `reach`, and
/// returns its secret.
pub async fn principal_token(
    app: &TestApp,
    client: &Client,
    (org, name): (&str, &str),
    reach: &str,
) -> String {
    let form = [
        ("organization", org),
        ("service_principal", name),
        ("name", "pipeline"),
        ("reach", reach),
        ("ends_on", ""),
    ];
    let created = app.json(client, "service_principals/create_token", &form, StatusCode::OK).await;
    created["secret"].as_str().expect("a secret").to_owned()
}
