//! Personal access tokens: made with a name, reach, end and read-only limit; shown once and
//! stored hashed; accepted as bearer or basic credentials by the tracking API and nowhere
//! else; cut down to their reach; ended by revoking, by their end date, or by the person
//! losing access, each on the next request.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{app_with_workspace, TestApp};
use crate::tracking_support::{
    answer, detector, error, get, grant_on_detector, post, script, token, tracking_uri, WS_PATH,
};

async fn list(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    app.json(client, "tokens/list", &[], StatusCode::OK).await
}

#[tokio::test]
async fn a_token_is_shown_once_stored_hashed_and_listed_with_its_reach() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "laptop", WS_PATH, false).await;
    assert!(secret.starts_with("atl_") && secret.len() == 44, "{secret}");

    let view = list(&app, &ada).await;
    let row = &view["tokens"][0];
    assert_eq!(row["name"], "laptop");
    assert_eq!(row["reach"], "workspace detector");
    assert_eq!(row["active"], true);
    assert_eq!(row["last_used_at"], serde_json::Value::Null);
    assert!(row["hint"].as_str().unwrap().starts_with(&secret[..8]));
    assert!(!view.to_string().contains(&secret), "the list never shows the secret");
    let reaches: Vec<&str> =
        view["reaches"].as_array().unwrap().iter().map(|r| r["value"].as_str().unwrap()).collect();
    assert_eq!(reaches, ["everything", "/organizations/contoso", WS_PATH]);

    // Only the hash is stored.
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT token_hash, hint FROM access_tokens")
            .fetch_all(&app.pool().await)
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].0.contains(&secret[4..]) && stored[0].0.len() == 64);

    // Using it notes when and from where.
    let used = get(&detector(&app), &secret, "experiments/search", &[]).await;
    assert_eq!(used.status(), StatusCode::OK);
    assert!(used.headers().get("set-cookie").is_none(), "a token never opens a session");
    let row = &list(&app, &ada).await["tokens"][0];
    assert!(row["last_used_at"].as_i64().is_some());
    assert_eq!(row["last_used_from"], "127.0.0.1");
}

#[tokio::test]
async fn bad_token_requests_are_refused_beside_their_field() {
    let (app, ada) = app_with_workspace().await;
    let field = |body: &serde_json::Value| body["field"].as_str().unwrap_or_default().to_owned();
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("name", " "), ("reach", "everything"), ("ends_on", "")], "name"),
        (&[("name", "ci"), ("reach", "everything"), ("ends_on", "2001-01-01")], "ends_on"),
        (&[("name", "ci"), ("reach", "everything"), ("ends_on", "2999-01-01")], "ends_on"),
        (&[("name", "ci"), ("reach", "everything"), ("ends_on", "soon")], "ends_on"),
        (&[("name", "ci"), ("reach", "/organizations/fabrikam"), ("ends_on", "")], "reach"),
        (
            &[
                ("name", "ci"),
                ("reach", "/organizations/contoso/resourceGroups/vision"),
                ("ends_on", ""),
            ],
            "reach",
        ),
    ];
    for (form, expected) in cases {
        let body = app.json(&ada, "tokens/create", form, StatusCode::BAD_REQUEST).await;
        assert_eq!(field(&body), expected, "{form:?}");
    }
    // Someone else's organization is as unknown as one that does not exist.
    let eve = app.signed_in("Eve", "eve@example.com").await;
    let body = app
        .json(
            &eve,
            "tokens/create",
            &[("name", "x"), ("reach", WS_PATH), ("ends_on", "")],
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(field(&body), "reach");
    assert_eq!(list(&app, &ada).await["tokens"].as_array().unwrap().len(), 0);
    // Signed out, nothing.
    let visitor = crate::helpers::client();
    assert_eq!(app.call(&visitor, "tokens/list", &[]).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_come_as_bearer_or_basic_and_nothing_else_opens_the_api() {
    let (app, ada) = app_with_workspace().await;
    let secret = token(&app, &ada, "ci", "everything", false).await;
    let uri = detector(&app);
    let search = format!("{uri}/api/2.0/mlflow/experiments/search");

    let basic = script().get(&search).basic_auth("ada", Some(&secret)).send().await.unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    let missing = script().get(&search).send().await.unwrap();
    let message = error(missing, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    assert!(message.contains("MLFLOW_TRACKING_TOKEN"), "{message}");
    let wrong = script()
        .get(&search)
        .bearer_auth("atl_0123456789012345678901234567890123456789")
        .send()
        .await
        .unwrap();
    error(wrong, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    let password = script()
        .get(&search)
        .basic_auth("ada@example.com", Some(crate::helpers::PASSWORD))
        .send()
        .await
        .unwrap();
    error(password, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    // Ada's browser session does not open the tracking API.
    let cookie = ada.get(&search).send().await.unwrap();
    error(cookie, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    // And a token opens no studio page or server function.
    let studio = script()
        .post(app.url("/api/tokens/list"))
        .bearer_auth(&secret)
        .header("Sec-Fetch-Site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(studio.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoking_expiring_or_losing_access_ends_a_token_at_the_next_request() {
    let (app, ada) = app_with_workspace().await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    grant_on_detector(&app, &ada, "bob@example.com", "Reader").await;
    let uri = detector(&app);
    let revoked = token(&app, &bob, "one", WS_PATH, false).await;
    let kept = token(&app, &bob, "two", WS_PATH, false).await;
    let ok = |s: &str| {
        let s = s.to_owned();
        let uri = uri.clone();
        async move { get(&uri, &s, "experiments/search", &[]).await.status() }
    };
    assert_eq!(ok(&revoked).await, StatusCode::OK);

    // Revoking: only one's own tokens.
    let id = list(&app, &bob).await["tokens"][1]["id"].as_i64().unwrap().to_string();
    let not_mine = app.call(&ada, "tokens/revoke", &[("id", id.as_str())]).await;
    assert_eq!(not_mine.status(), StatusCode::NOT_FOUND);
    assert_eq!(ok(&revoked).await, StatusCode::OK);
    assert_eq!(
        app.call(&bob, "tokens/revoke", &[("id", id.as_str())]).await.status(),
        StatusCode::OK
    );
    error(
        get(&uri, &revoked, "experiments/search", &[]).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(list(&app, &bob).await["tokens"][1]["active"], false);
    assert_eq!(
        app.call(&bob, "tokens/revoke", &[("id", id.as_str())]).await.status(),
        StatusCode::NOT_FOUND
    );

    // Losing access: the workspace is gone for the token too.
    let view = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    let assignment = view["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "bob@example.com")
        .map(|a| a["id"].to_string())
        .unwrap();
    let removed = app
        .call(
            &ada,
            "access/remove",
            &[("scope", WS_PATH), ("assignment", assignment.trim_matches('"'))],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    error(
        get(&uri, &kept, "experiments/search", &[]).await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;

    // Expiring: at the end of the chosen day.
    let tomorrow = atelier::domain::format::date(app.clock.now() + 86_400);
    let form = [("name", "short"), ("reach", "everything"), ("ends_on", tomorrow.as_str())];
    let short = app.json(&ada, "tokens/create", &form, StatusCode::OK).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ok(&short).await, StatusCode::OK);
    app.clock.advance(3 * 86_400);
    error(
        get(&uri, &short, "experiments/search", &[]).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(list(&app, &ada).await["tokens"][0]["active"], false);
}

#[tokio::test]
async fn a_token_acts_only_within_its_reach_and_read_only_limit() {
    let (app, ada) = app_with_workspace().await;
    // A second workspace in the same organization, and another organization.
    let created = app.create_workspace(&ada, "contoso/vision", "", "segmenter").await;
    assert_eq!(created.status(), StatusCode::OK);
    app.workspace_fixture(&ada, "fabrikam", "speech", "asr").await;
    let detector_uri = detector(&app);
    let segmenter = tracking_uri(&app, ("contoso", "vision", "segmenter"));
    let asr = tracking_uri(&app, ("fabrikam", "speech", "asr"));
    let create = |uri: String, secret: String, name: &'static str| async move {
        post(&uri, &secret, "experiments/create", json!({ "name": name })).await
    };

    let workspace_only = token(&app, &ada, "detector only", WS_PATH, false).await;
    assert_eq!(
        create(detector_uri.clone(), workspace_only.clone(), "a").await.status(),
        StatusCode::OK
    );
    error(
        create(segmenter.clone(), workspace_only.clone(), "a").await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;

    let contoso = token(&app, &ada, "contoso", "/organizations/contoso", false).await;
    assert_eq!(create(segmenter.clone(), contoso.clone(), "b").await.status(), StatusCode::OK);
    error(
        create(asr.clone(), contoso.clone(), "b").await,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    )
    .await;

    let everything = token(&app, &ada, "all", "everything", false).await;
    assert_eq!(create(asr.clone(), everything, "c").await.status(), StatusCode::OK);

    let read_only = token(&app, &ada, "dashboards", "everything", true).await;
    let (status, body) = answer(
        get(&detector_uri, &read_only, "experiments/get-by-name", &[("experiment_name", "a")])
            .await,
    )
    .await;
    assert_eq!((status, body["experiment"]["name"].as_str()), (StatusCode::OK, Some("a")));
    let message = error(
        create(detector_uri, read_only, "d").await,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
    )
    .await;
    assert!(message.contains("read-only"), "{message}");
    assert_eq!(list(&app, &ada).await["tokens"][0]["read_only"], true);
}
