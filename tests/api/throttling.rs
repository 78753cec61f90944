//! Throttling, tried as an attacker would: bursts of wrong passwords, made-up invitation links
//! and tokens, sign-up floods and invitation floods are slowed with 429 and `Retry-After`, while
//! the real person elsewhere still gets in; and bodies larger than a route takes are refused
//! before they are read. Other client addresses are other loopback addresses (127.0.0.2, …).

use std::net::{IpAddr, Ipv4Addr};

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{app_with_workspace, spawn_app, PASSWORD};
use crate::tracking_support::{detector, get, token, WS_PATH};

/// A browser-like client whose requests come from 127.0.0.`last`.
fn client_from(last: u8) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Asserts a 429 with a `Retry-After` of at least one second, returning the body.
async fn throttled(response: Response) -> Value {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1, "Retry-After {retry}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_is_slowed_while_the_owner_elsewhere_signs_in() {
    let app = spawn_app().await;
    // Waits are seconds long: a slow run must not see one lapse between two steps.
    app.clock.stop();
    let ada = client_from(1);
    assert_eq!(app.sign_up(&ada, "Ada", "ada@example.com").await.status(), StatusCode::OK);
    let attacker = client_from(66);
    for _ in 0..10 {
        let wrong = app.sign_in(&attacker, "ada@example.com", "guess guess guess").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    // The eleventh try is refused before any password is checked, even the right one.
    let slowed = throttled(app.sign_in(&attacker, "ada@example.com", PASSWORD).await).await;
    assert!(slowed["message"].as_str().unwrap().starts_with("Too many attempts. Try again in"));
    assert_eq!(slowed["kind"], "TooManyRequests");
    // Unknown addresses are slowed the same way (nothing tells them apart).
    throttled(app.sign_in(&attacker, "nobody@example.com", "guess guess guess").await).await;

    // Ada, from another address, signs in.
    let owner = client_from(2);
    assert_eq!(app.sign_in(&owner, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);

    // Waiting as long as told lets the next try through: slowed, never locked.
    app.clock.advance(2);
    let later = app.sign_in(&attacker, "ada@example.com", "guess guess guess").await;
    assert_eq!(later.status(), StatusCode::UNAUTHORIZED);
    throttled(app.sign_in(&attacker, "ada@example.com", "guess guess guess").await).await;
    app.clock.advance(3600);
    assert_eq!(app.sign_in(&attacker, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_slows_it_without_locking_it_forever() {
    let app = spawn_app().await;
    // Waits are seconds long: a slow run must not see one lapse between two steps.
    app.clock.stop();
    let ada = client_from(1);
    assert_eq!(app.sign_up(&ada, "Ada", "ada@example.com").await.status(), StatusCode::OK);
    for last in 10..30 {
        let wrong = app.sign_in(&client_from(last), "ada@example.com", "guess guess guess").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let owner = client_from(2);
    let slowed = throttled(app.sign_in(&owner, "ada@example.com", PASSWORD).await).await;
    assert!(slowed["message"].as_str().unwrap().contains("second"), "{slowed}");
    app.clock.advance(1);
    assert_eq!(app.sign_in(&owner, "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_address_the_owner_signed_in_from_is_not_slowed_by_guesses_from_elsewhere() {
    let app = spawn_app().await;
    // Waits are seconds long: a slow run must not see one lapse between two steps.
    app.clock.stop();
    assert_eq!(
        app.sign_up(&client_from(1), "Ada", "ada@example.com").await.status(),
        StatusCode::OK
    );
    let laptop = "ada@example.com";
    assert_eq!(app.sign_in(&client_from(2), laptop, PASSWORD).await.status(), StatusCode::OK);
    // Twenty addresses guess Ada's password, and as many guess an address nobody has.
    for last in 10..30 {
        for email in ["ada@example.com", "nobody@example.com"] {
            let wrong = app.sign_in(&client_from(last), email, "guess guess guess").await;
            assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        }
    }
    // A new address is slowed, even with the right password; Ada's laptop is not.
    throttled(app.sign_in(&client_from(3), laptop, PASSWORD).await).await;
    assert_eq!(app.sign_in(&client_from(2), laptop, PASSWORD).await.status(), StatusCode::OK);
    // The guessers see no difference between Ada's address and nobody's, before or after.
    for email in ["ada@example.com", "nobody@example.com"] {
        let answer = throttled(app.sign_in(&client_from(40), email, "guess guess guess").await);
        assert!(answer.await["message"].as_str().unwrap().starts_with("Too many attempts"));
    }
}

#[tokio::test]
async fn made_up_invitation_links_are_slowed_per_address() {
    let app = spawn_app().await;
    // Waits are seconds long: a slow run must not see one lapse between two steps.
    app.clock.stop();
    let guesser = client_from(7);
    for i in 0..10 {
        let token = format!("made-up-{i}");
        let landing = app.call(&guesser, "invitations/landing", &[("token", &token)]).await;
        assert_eq!(landing.status(), StatusCode::OK);
    }
    throttled(app.call(&guesser, "invitations/landing", &[("token", "made-up-x")]).await).await;
    let other = client_from(8);
    let fine = app.call(&other, "invitations/landing", &[("token", "made-up-y")]).await;
    assert_eq!(fine.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_ups_from_one_address_are_capped_per_hour() {
    let app = spawn_app().await;
    // Waits are seconds long: a slow run must not see one lapse between two steps.
    app.clock.stop();
    let flood = client_from(9);
    for i in 0..20 {
        let email = format!("bot{i}@example.com");
        let made = app.sign_up(&flood, "Bot", &email).await;
        assert_eq!(made.status(), StatusCode::OK, "{email}");
    }
    throttled(app.sign_up(&flood, "Bot", "bot-more@example.com").await).await;
    let person = client_from(10);
    assert_eq!(app.sign_up(&person, "Ann", "ann@example.com").await.status(), StatusCode::OK);
    app.clock.advance(3600);
    assert_eq!(app.sign_up(&flood, "Bot", "bot-later@example.com").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn invalid_tokens_are_slowed_per_address_with_mlflows_code() {
    let (app, ada) = app_with_workspace().await;
    let uri = detector(&app);
    let real = token(&app, &ada, "training", WS_PATH, false).await;
    let guesser = client_from(11);
    let search = format!("{uri}/api/2.0/mlflow/experiments/search");
    for i in 0..20 {
        let guess = format!("atl_{i:040}");
        let refused = guesser.get(&search).bearer_auth(&guess).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    let slowed = guesser.get(&search).bearer_auth(&real).send().await.unwrap();
    let body = throttled(slowed).await;
    assert_eq!(body["error_code"], "REQUEST_LIMIT_EXCEEDED");
    // The real token from another address works.
    let (status, _) =
        crate::tracking_support::answer(get(&uri, &real, "experiments/search", &[]).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_organization_sends_at_most_a_hundred_invitations_an_hour() {
    let (app, ada) = app_with_workspace().await;
    let batch = |from: usize| -> String {
        (from..from + 50).map(|i| format!("person{i}@example.com")).collect::<Vec<_>>().join("\n")
    };
    for start in [0, 50] {
        let emails = batch(start);
        let form = invite_form(&emails);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(app.call(&ada, "invitations/create", &pairs).await.status(), StatusCode::OK);
    }
    let emails = batch(100);
    let form = invite_form(&emails);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = throttled(app.call(&ada, "invitations/create", &pairs).await).await;
    assert!(refused["message"].as_str().unwrap().contains("as many invitations"), "{refused}");
    let pending = app.json(&ada, "access/get", &[("scope", WS_PATH)], StatusCode::OK).await;
    assert_eq!(pending["invitations"].as_array().unwrap().len(), 100);
}

fn invite_form(emails: &str) -> Vec<(&'static str, String)> {
    vec![
        ("scope", WS_PATH.to_owned()),
        ("emails", emails.to_owned()),
        ("role", "Reader".to_owned()),
        ("note", String::new()),
        ("access_ends", String::new()),
    ]
}

#[tokio::test]
async fn bodies_larger_than_their_route_takes_are_refused_before_they_are_read() {
    let (app, ada) = app_with_workspace().await;
    let big_password = "x".repeat(64 * 1024);
    let refused = app.sign_in(&client_from(12), "ada@example.com", &big_password).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("at most 16 KB"), "{body}");

    let huge_role = "x".repeat(2 * 1024 * 1024);
    let form = [("organization", "contoso"), ("json", huge_role.as_str())];
    let refused = app.call(&ada, "roles/save", &form).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A body that says nothing of its length is cut off where it passes the limit.
    let stream = futures_like_stream(64 * 1024);
    let streamed = client_from(13)
        .post(app.url("/api/auth/sign_in"))
        .header("Origin", &app.base_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert!(streamed.status().is_client_error(), "{}", streamed.status());
}

/// `size` bytes of form body, sent in chunks without a length.
fn futures_like_stream(
    size: usize,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        std::iter::once(Ok(b"email=ada%40example.com&password=".to_vec()))
            .chain((0..size / 4096).map(|_| Ok(vec![b'x'; 4096])))
            .collect();
    futures_util::stream::iter(chunks)
}
