use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{
    client, current_user_with_cookie, session_cookie, set_cookie_header, spawn_app, spawn_app_with,
    PASSWORD,
};

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let response = app.sign_up(&client(), "Ada", "ada@example.com").await;
    let cookie = set_cookie_header(response.headers()).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_base_url_is_https() {
    let app = spawn_app_with(|settings| {
        settings.base_url = Some("https://atelier.example.com".parse().unwrap());
    })
    .await;
    let response = app.sign_up(&client(), "Ada", "ada@example.com").await;
    let cookie = set_cookie_header(response.headers()).expect("a session cookie");
    assert!(cookie.starts_with("__Host-atelier_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_and_retires_the_old_one() {
    let app = spawn_app().await;
    let browser = client();
    let first = session_cookie(app.sign_up(&browser, "Ada", "ada@example.com").await.headers())
        .expect("a session cookie");
    let second = session_cookie(app.sign_in(&browser, "ada@example.com", PASSWORD).await.headers())
        .expect("a new session cookie");
    assert_ne!(first, second);
    assert!(current_user_with_cookie(&app, &first).await.is_null());
    assert_eq!(current_user_with_cookie(&app, &second).await["display_name"], "Ada");
}

#[tokio::test]
async fn signing_out_invalidates_the_old_cookie_on_the_server() {
    let app = spawn_app().await;
    let browser = client();
    let cookie = session_cookie(app.sign_up(&browser, "Ada", "ada@example.com").await.headers())
        .expect("a session cookie");
    assert_eq!(current_user_with_cookie(&app, &cookie).await["display_name"], "Ada");

    assert_eq!(app.sign_out(&browser).await.status(), StatusCode::OK);
    assert!(app.current_user(&browser).await.is_null());
    assert!(current_user_with_cookie(&app, &cookie).await.is_null(), "replayed cookie refused");
}

#[tokio::test]
async fn the_database_holds_a_digest_of_the_session_id_not_the_id() {
    let app = spawn_app().await;
    let cookie = session_cookie(app.sign_up(&client(), "Ada", "ada@example.com").await.headers())
        .expect("a session cookie");
    let rows = sqlx::query("SELECT id_hash, data FROM sessions")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let (id_hash, data): (String, String) = (rows[0].get("id_hash"), rows[0].get("data"));
    assert_eq!(id_hash.len(), 64);
    assert!(!id_hash.contains(&cookie) && !data.contains(&cookie));
}
