use reqwest::StatusCode;

use crate::helpers::{client, spawn_app, PASSWORD};

#[tokio::test]
async fn a_post_from_another_origin_is_refused() {
    let app = spawn_app().await;
    let form = [("display_name", "Mallory"), ("email", "m@example.com"), ("password", PASSWORD)];
    let response = client()
        .post(app.url("/api/auth/sign_up"))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(app.current_user(&client()).await.is_null());
}

#[tokio::test]
async fn a_post_marked_cross_site_by_the_browser_is_refused() {
    let app = spawn_app().await;
    for site in ["cross-site", "same-site"] {
        let response = client()
            .post(app.url("/api/auth/sign_out"))
            .header("Sec-Fetch-Site", site)
            .header("Origin", &app.base_url)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "Sec-Fetch-Site: {site}");
    }
}

#[tokio::test]
async fn a_post_from_the_app_itself_is_accepted() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url("/api/auth/sign_out"))
        .header("Origin", &app.base_url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_page() {
    let app = spawn_app().await;
    let response = client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("Not found"));
}
