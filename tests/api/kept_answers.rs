//! Answers kept for a page after a form posted without JavaScript (`server::answer_once`): the
//! page it is sent back to shows the answer once; a script's call keeps nothing; the answer is
//! sealed in the session, never in the clear; and pages with nothing kept save no session.

use reqwest::{Client, StatusCode};

use crate::helpers::{app_with_workspace, client, spawn_app, TestApp};

async fn page(app: &TestApp, client: &Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("page")
}

/// A token secret (`atl_` and 40 letters and digits) anywhere in `html`.
fn secret_in(html: &str) -> Option<String> {
    html.match_indices("atl_").find_map(|(at, _)| {
        let candidate = html.get(at..at + 44)?;
        candidate[4..].chars().all(|c| c.is_ascii_alphanumeric()).then(|| candidate.to_owned())
    })
}

#[tokio::test]
async fn a_token_made_by_a_plain_form_shows_its_secret_on_the_next_page_only() {
    let (app, ada) = app_with_workspace().await;
    let form = [("name", "cron"), ("reach", "everything"), ("ends_on", "")];
    let response = app.submit_form(&ada, "/tokens", "tokens/create", &form).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/tokens?done="), "{location}");

    let stored: Vec<String> = sqlx::query_scalar("SELECT data FROM sessions")
        .fetch_all(&app.pool().await)
        .await
        .expect("sessions");
    let shown = page(&app, &ada, &location).await;
    let secret = secret_in(&shown).expect("the secret is on the page it came back to");
    assert!(stored.iter().all(|data| !data.contains(&secret)), "kept sealed, not in the clear");

    let again = page(&app, &ada, "/tokens").await;
    assert!(secret_in(&again).is_none(), "shown once");
}

/// A page takes only the answers of its own forms: one kept for another page (posted in another
/// tab, say) stays for that page and is not in this one's HTML.
#[tokio::test]
async fn a_page_leaves_an_answer_kept_for_another_page_where_it_is() {
    let (app, ada) = app_with_workspace().await;
    let form = [("name", "nightly"), ("reach", "everything"), ("ends_on", "")];
    let response = app.submit_form(&ada, "/tokens", "tokens/create", &form).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();

    for other in ["/organizations/contoso/access", "/organizations/contoso/service-principals"] {
        let html = page(&app, &ada, other).await;
        assert!(secret_in(&html).is_none(), "{other} took the token's answer");
    }
    let shown = page(&app, &ada, &location).await;
    assert!(secret_in(&shown).is_some(), "still kept for the tokens page");
}

#[tokio::test]
async fn a_script_that_creates_a_token_leaves_nothing_for_the_page() {
    let (app, ada) = app_with_workspace().await;
    let form = [("name", "ci"), ("reach", "everything"), ("ends_on", "")];
    let response = app.call(&ada, "tokens/create", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: serde_json::Value = response.json().await.expect("JSON");
    let secret = answer["secret"].as_str().expect("the script reads the secret").to_owned();
    let html = page(&app, &ada, "/tokens").await;
    assert!(!html.contains(&secret));
}

#[tokio::test]
async fn a_visitor_reading_pages_gets_no_session() {
    let app = spawn_app().await;
    let visitor = client();
    for path in ["/sign-in", "/tokens", "/organizations/contoso/service-principals"] {
        let response = visitor.get(app.url(path)).send().await.expect("request");
        assert!(response.headers().get("set-cookie").is_none(), "{path} set a cookie");
    }
}
