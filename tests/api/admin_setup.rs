//! Who becomes the instance administrator: on loopback the first account to sign up; beyond
//! loopback only a signed-in person holding the setup link's token, once. And the headers
//! every response carries: the session cookie's attributes, a Content-Security-Policy whose
//! nonce is the page's script's, and nothing that names the server's software.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

/// An app listening on every address (beyond loopback), reached through 127.0.0.1, with the
/// setup token given by the operator.
async fn app_beyond_loopback(token: &str) -> TestApp {
    let port = std::net::TcpListener::bind("0.0.0.0:0").unwrap().local_addr().unwrap().port();
    let token = token.to_owned();
    spawn_app_with(move |settings| {
        settings.listen = format!("0.0.0.0:{port}").parse().unwrap();
        settings.base_url = Some(format!("http://127.0.0.1:{port}").parse().unwrap());
        settings.admin_setup_token = Some(token);
    })
    .await
}

#[tokio::test]
async fn beyond_loopback_the_first_sign_up_is_not_the_admin_until_it_opens_the_setup_link() {
    let app = app_beyond_loopback("a long operator chosen setup token").await;
    let first = app.signed_in("Mallory", "mallory@example.com").await;
    assert_eq!(app.current_user(&first).await["is_instance_admin"], false);
    assert_eq!(app.call(&first, "instance/settings", &[]).await.status(), StatusCode::NOT_FOUND);

    let wrong = app.call(&first, "instance/claim_admin", &[("token", "guess")]).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let ops = app.signed_in("Olivia", "olivia@example.com").await;
    let claimed = app
        .call(&ops, "instance/claim_admin", &[("token", "a long operator chosen setup token")])
        .await;
    assert!(
        claimed.status().is_success() || claimed.status().is_redirection(),
        "{}",
        claimed.status()
    );
    assert_eq!(app.current_user(&ops).await["is_instance_admin"], true);
    assert_eq!(app.call(&ops, "instance/settings", &[]).await.status(), StatusCode::OK);

    // Once only.
    let again = app
        .call(&first, "instance/claim_admin", &[("token", "a long operator chosen setup token")])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(app.current_user(&first).await["is_instance_admin"], false);
}

#[tokio::test]
async fn on_loopback_the_first_sign_up_is_the_admin_and_no_setup_link_works() {
    let app = spawn_app().await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    assert_eq!(app.current_user(&ada).await["is_instance_admin"], true);
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let refused = app.call(&bob, "instance/claim_admin", &[("token", "anything")]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_carry_a_policy_with_their_scripts_nonce_and_other_answers_run_nothing() {
    let app = spawn_app().await;
    let client = crate::helpers::client();
    let page = client.get(app.url("/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert!(headers.get("server").is_none());
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.get("strict-transport-security").is_none(), "plain http: no HSTS");
    let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(policy.contains("object-src 'none'") && policy.contains("base-uri 'none'"));
    assert!(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"));
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries it");
    assert!(!html.contains(" style=\""), "no inline styles under the policy");
    // Another render, another nonce.
    let again = client.get(app.url("/sign-in")).send().await.unwrap();
    let other = again.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_ne!(other, policy);

    let json = app.call(&client, "auth/current_user", &[]).await;
    let inert = json.headers()["content-security-policy"].to_str().unwrap();
    assert!(inert.starts_with("default-src 'none'") && inert.contains("sandbox"), "{inert}");
}
