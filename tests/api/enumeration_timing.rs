//! Account enumeration by timing: signing up and asking for a reset link take as long for an
//! address with an account as for one without. Each comparison times at least 200 requests of
//! each kind, interleaved in a shuffled order (so a machine that slows down or speeds up
//! affects both alike), and asks two robust questions of the two samples: are their medians
//! close, and can a timing-based guess tell them apart better than chance (the area under the
//! ROC curve, from the Mann-Whitney U statistic, near one half)? Both are robust to the
//! outliers a loaded CI machine produces, and neither becomes "significant" merely because
//! there are many trials, as a p-value would.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};

use crate::helpers::{spawn_app, TestApp, PASSWORD};

const TRIALS: usize = 210;
const WARM_UP: usize = 10;

/// A client whose requests come from 127.0.0.`last` (per-address throttles count apart).
fn client_from(last: u8) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A fixed shuffle of `n` trues and `n` falses (xorshift; no randomness crate needed).
fn shuffled_order(n: usize) -> Vec<bool> {
    let mut order: Vec<bool> = (0..2 * n).map(|i| i % 2 == 0).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
}

fn median(sample: &[f64]) -> f64 {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// P(a random `a` is slower than a random `b`), ties counting half: 0.5 when timing tells
/// nothing, near 0 or 1 when it tells the two apart.
fn probability_slower(a: &[f64], b: &[f64]) -> f64 {
    let mut wins = 0.0;
    for x in a {
        for y in b {
            wins += if x > y {
                1.0
            } else if x == y {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (a.len() * b.len()) as f64
}

/// Fails when the samples (milliseconds) can be told apart: medians further apart than a
/// quarter of the larger (or 3 ms, whichever is more: scheduler noise), or a timing guess
/// right more than 65% of the time.
fn assert_indistinguishable(what: &str, known: &[f64], unknown: &[f64]) {
    let (a, b) = (median(known), median(unknown));
    let tolerance = (a.max(b) * 0.25).max(3.0);
    let p = probability_slower(known, unknown);
    eprintln!("{what}: median {a:.2} ms vs {b:.2} ms, P(known slower) = {p:.3}");
    assert!((a - b).abs() <= tolerance, "{what}: medians {a:.2} ms and {b:.2} ms differ");
    assert!((0.35..=0.65).contains(&p), "{what}: timing tells them apart (P = {p:.3})");
}

/// Times each request, checking every answer is the same as the first one's.
struct Timer {
    answer: Option<(StatusCode, String)>,
}

impl Timer {
    async fn time(&mut self, request: reqwest::RequestBuilder) -> f64 {
        let started = Instant::now();
        let response = request.send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        match &self.answer {
            None => self.answer = Some((status, body)),
            Some(first) => assert_eq!(first, &(status, body), "the answers differ"),
        }
        elapsed
    }
}

fn post(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .form(form)
}

#[test]
fn the_check_tells_a_leak_from_noise() {
    let noise = |i: usize| ((i * 7919) % 13) as f64 * 0.3;
    let slow: Vec<f64> = (0..200).map(|i| 40.0 + noise(i)).collect();
    let fast: Vec<f64> = (0..200).map(|i| 12.0 + noise(i + 5)).collect();
    let same: Vec<f64> = (0..200).map(|i| 40.0 + noise(i + 3)).collect();
    assert!(std::panic::catch_unwind(|| assert_indistinguishable("leak", &slow, &fast)).is_err());
    assert_indistinguishable("noise", &slow, &same);
}

#[tokio::test]
async fn signing_up_takes_as_long_with_a_taken_address_as_with_a_new_one() {
    let app = spawn_app().await;
    let ada = crate::helpers::client();
    app.sign_up(&ada, "Ada", "ada@example.com").await;
    let id = app.current_user(&ada).await["id"].to_string();
    app.json(&ada, "instance/confirm_account", &[("user", &id)], StatusCode::OK).await;

    // Sign-ups are limited per client address: each trial comes from the next of 240.
    let clients: Vec<Client> = (10..250).map(client_from).collect();
    let mut timer = Timer { answer: None };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for (i, taken) in shuffled_order(TRIALS + WARM_UP).into_iter().enumerate() {
        let client = &clients[i % clients.len()];
        let email =
            if taken { "ada@example.com".to_owned() } else { format!("new{i}@example.com") };
        let form = [("display_name", "Someone"), ("email", email.as_str()), ("password", PASSWORD)];
        let ms = timer.time(post(&app, client, "auth/sign_up", &form)).await;
        if i < 2 * WARM_UP {
            continue;
        }
        if taken {
            known.push(ms)
        } else {
            unknown.push(ms)
        }
    }
    assert_eq!(timer.answer.as_ref().unwrap().0, StatusCode::OK);
    assert!(known.len() >= 200 && unknown.len() >= 200, "{} and {}", known.len(), unknown.len());
    assert_indistinguishable("sign-up", &known, &unknown);
}

#[tokio::test]
async fn asking_for_a_reset_link_takes_as_long_for_an_account_as_for_no_one() {
    let app = spawn_app().await;
    app.sign_up(&crate::helpers::client(), "Ada", "ada@example.com").await;
    let client = client_from(20);
    let mut timer = Timer { answer: None };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for (i, exists) in shuffled_order(TRIALS + WARM_UP).into_iter().enumerate() {
        // Reset requests are limited per account and per client address: each trial comes
        // after the limits' window.
        app.clock.advance(3601);
        let email =
            if exists { "ada@example.com".to_owned() } else { format!("nobody{i}@example.com") };
        let ms = timer
            .time(post(&app, &client, "auth/forgot_password", &[("email", email.as_str())]))
            .await;
        if i < 2 * WARM_UP {
            continue;
        }
        if exists {
            known.push(ms)
        } else {
            unknown.push(ms)
        }
    }
    assert_eq!(timer.answer.as_ref().unwrap().0, StatusCode::OK);
    assert!(known.len() >= 200 && unknown.len() >= 200, "{} and {}", known.len(), unknown.len());
    assert_indistinguishable("password reset", &known, &unknown);
}
