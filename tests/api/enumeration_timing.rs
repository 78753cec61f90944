//! Account enumeration: signing up, asking for a reset link, signing in with a wrong password,
//! granting a role by email and following an invitation link answer the same, and take as
//! long, for an address with an account as for one without.
//!
//! Each comparison times at least 200 requests of each kind, interleaved in a shuffled order
//! (so a machine that slows down or speeds up affects both alike), and asks two robust
//! questions of the two samples: are their medians close, and can a timing-based guess tell
//! them apart better than chance (the area under the ROC curve, from the Mann-Whitney U
//! statistic, near one half)? Both are robust to the outliers a loaded CI machine produces,
//! and neither becomes "significant" merely because there are many trials, as a p-value would.
//! Every answer of a kind is compared with the first: status and body are the same throughout.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use atelier::server::throttle::RetryAfter;
use reqwest::{Client, Response, StatusCode};

use crate::helpers::{app_with_workspace, spawn_app, TestApp, PASSWORD};

const TRIALS: usize = 210;
const WARM_UP: usize = 10;
const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";
const WRONG_PASSWORD: &str = "not the password at all";

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

/// The timings (ms) of one kind of request, for addresses with an account and without.
#[derive(Default)]
struct Samples {
    known: Vec<f64>,
    unknown: Vec<f64>,
}

impl Samples {
    fn assert_indistinguishable(&self, what: &str) {
        let (known, unknown) = (self.known.len(), self.unknown.len());
        assert!(known >= 200 && unknown >= 200, "{what}: {known} and {unknown} trials");
        assert_indistinguishable(what, &self.known, &self.unknown);
    }
}

/// Runs `TRIALS` trials of each kind after `WARM_UP` of each, in a fixed shuffled order:
/// `trial(i, known)` makes the `i`th trial's requests (for an address with an account when
/// `known`) and returns how long each took, one sample per request.
async fn measure<const N: usize>(
    mut trial: impl AsyncFnMut(usize, bool) -> [f64; N],
) -> [Samples; N] {
    let mut samples: [Samples; N] = std::array::from_fn(|_| Samples::default());
    for (i, known) in shuffled_order(TRIALS + WARM_UP).into_iter().enumerate() {
        let times = trial(i, known).await;
        if i < 2 * WARM_UP {
            continue;
        }
        for (sample, ms) in samples.iter_mut().zip(times) {
            if known {
                sample.known.push(ms)
            } else {
                sample.unknown.push(ms)
            }
        }
    }
    samples
}

/// Times each request, checking every answer is the same as the first one's.
#[derive(Default)]
struct Timer {
    answer: Option<(StatusCode, String)>,
}

impl Timer {
    async fn time(&mut self, request: reqwest::RequestBuilder) -> f64 {
        self.time_masking(request, "").await
    }

    /// Like `time`, for answers that name the address they are about (`address`, which
    /// differs by kind by nature): it is masked before answers are compared.
    async fn time_masking(&mut self, request: reqwest::RequestBuilder, address: &str) -> f64 {
        let started = Instant::now();
        let response = request.send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let body = if address.is_empty() { body } else { body.replace(address, "<address>") };
        match &self.answer {
            None => self.answer = Some((status, body)),
            Some(first) => assert_eq!(first, &(status, body), "the answers differ"),
        }
        elapsed
    }

    /// Asserts every answer had `status` (and returns their body).
    fn answered(&self, status: StatusCode) -> &str {
        let (answered, body) = self.answer.as_ref().expect("a request was timed");
        assert_eq!(*answered, status, "{body}");
        body
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

/// Has the instance admin (`admin`'s client; the first account) confirm `person`'s address,
/// as for an account whose owner followed the link in its confirmation email.
async fn confirm(app: &TestApp, admin: &Client, person: &Client) {
    let id = app.current_user(person).await["id"].to_string();
    app.json(admin, "instance/confirm_account", &[("user", &id)], StatusCode::OK).await;
}

/// A fresh server where Ada has an account, her address confirmed (she is its admin).
async fn app_with_ada() -> TestApp {
    let app = spawn_app().await;
    let ada = crate::helpers::client();
    app.sign_up(&ada, "Ada", "ada@example.com").await;
    confirm(&app, &ada, &ada).await;
    app
}

/// Times `endpoint` posted from one client with `email` Ada's address or a new one without an
/// account, and the `other` fields. Each trial comes an hour after the last: past the windows
/// of the throttles (per account and per client address) that would otherwise slow Ada's.
async fn time_hourly(app: &TestApp, endpoint: &str, other: &[(&str, &str)]) -> (Timer, Samples) {
    let client = client_from(20);
    let mut timer = Timer::default();
    let [samples] = measure(async |i: usize, exists: bool| {
        app.clock.advance(3601);
        let email =
            if exists { "ada@example.com".to_owned() } else { format!("nobody{i}@example.com") };
        let form = [&[("email", email.as_str())], other].concat();
        [timer.time(post(app, &client, endpoint, &form)).await]
    })
    .await;
    (timer, samples)
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
    let app = app_with_ada().await;
    // Sign-ups are limited per client address: each trial comes from the next of 240.
    let clients: Vec<Client> = (10..250).map(client_from).collect();
    let mut timer = Timer::default();
    let [sign_up] = measure(async |i: usize, taken: bool| {
        let client = &clients[i % clients.len()];
        let email =
            if taken { "ada@example.com".to_owned() } else { format!("new{i}@example.com") };
        let form = [("display_name", "Someone"), ("email", email.as_str()), ("password", PASSWORD)];
        [timer.time(post(&app, client, "auth/sign_up", &form)).await]
    })
    .await;
    timer.answered(StatusCode::OK);
    sign_up.assert_indistinguishable("sign-up");
}

#[tokio::test]
async fn asking_for_a_reset_link_takes_as_long_for_an_account_as_for_no_one() {
    let app = app_with_ada().await;
    let (timer, reset) = time_hourly(&app, "auth/forgot_password", &[]).await;
    timer.answered(StatusCode::OK);
    reset.assert_indistinguishable("password reset");
}

/// A wrong password for an account and any password for an address without one get the same
/// refusal after the same work: with no account to check against, the password is checked
/// against a dummy hash of the same cost. Wrong passwords are throttled per account and per
/// client address, alike for both kinds (see the next test); these trials come an hour apart.
#[tokio::test]
async fn a_wrong_password_takes_as_long_for_an_account_as_for_no_one() {
    let app = app_with_ada().await;
    let (timer, sign_in) = time_hourly(&app, "auth/sign_in", &[("password", WRONG_PASSWORD)]).await;
    assert!(timer.answered(StatusCode::UNAUTHORIZED).contains("do not match an account"));
    sign_in.assert_indistinguishable("sign-in");
}

/// An answer as the throttle shapes it.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: String,
}

async fn answer(response: Response) -> Answer {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().ok().and_then(|v| v.parse().ok()).expect("Retry-After in seconds"));
    Answer { status, retry_after, body: response.text().await.unwrap() }
}

/// A wrong password for Ada's account from `known`, and for an address without an account
/// from `unknown`, at once; asserts they are answered alike. The clock's seconds may turn
/// between the two: then a wait may differ by those seconds (and its message name it).
async fn wrong_passwords(app: &TestApp, known: &Client, unknown: &Client) -> Answer {
    let mut answers = Vec::new();
    for (client, email) in [(known, "ada@example.com"), (unknown, "nobody@example.com")] {
        let form = [("email", email), ("password", WRONG_PASSWORD)];
        answers.push(answer(post(app, client, "auth/sign_in", &form).send().await.unwrap()).await);
    }
    let unknown = answers.pop().unwrap();
    let known = answers.pop().unwrap();
    assert_eq!(known.status, unknown.status, "{known:?} / {unknown:?}");
    let expected = match (known.retry_after, unknown.retry_after) {
        (Some(k), Some(u)) => {
            assert!(k.abs_diff(u) <= 2, "{known:?} / {unknown:?}");
            let wait = |s: u64| format!(r#""retry_after":{s}"#);
            let body = unknown.body.replace(&RetryAfter(u).message(), &RetryAfter(k).message());
            body.replace(&wait(u), &wait(k))
        }
        (k, u) => {
            assert_eq!(k, u, "Retry-After");
            unknown.body.clone()
        }
    };
    assert_eq!(known.body, expected, "{known:?} / {unknown:?}");
    known
}

/// The sign-in throttle counts wrong passwords by the address typed, whether or not an account
/// has it, so being slowed tells no more than the refusal: with the real limits, tries for an
/// account and for an address without one, made in step, are answered alike try for try, up
/// to the longest wait. First per account (each try from a client address of its own, so only
/// the accounts' counts grow), then per client address (all tries of a kind from one address).
/// Meanwhile Ada signs in: her success must not set her account's count apart either, or
/// whoever hammers both would see an account's owner come and go.
#[tokio::test]
async fn wrong_passwords_are_slowed_alike_for_an_account_and_for_no_one() {
    let app = app_with_ada().await;
    // Each limit's free failures, and whether it is the account's (or the client address's).
    for (free, per_account) in [(20, true), (10, false)] {
        // What earlier rounds counted lapses after an hour's quiet.
        app.clock.advance(3601);
        let mut longest = None;
        for round in 1..=free + 9 {
            // Any wait so far is over (the longest is 300 s); the counts stay (quiet: an hour).
            app.clock.advance(301);
            if round == free + 3 {
                // Ada signs in meanwhile, from elsewhere, once her wait is over.
                let signed_in = app.sign_in(&client_from(2), "ada@example.com", PASSWORD).await;
                assert_eq!(signed_in.status(), StatusCode::OK);
            }
            let (known, unknown) = if per_account {
                (client_from(100 + round), client_from(150 + round))
            } else {
                (client_from(200), client_from(201))
            };
            let tried = wrong_passwords(&app, &known, &unknown).await;
            assert_eq!(tried.status, StatusCode::UNAUTHORIZED, "round {round}: {tried:?}");
            // From two failures past the free ones, trying again at once means waiting at least
            // 4 s (a wait of 1 or 2 s could end before a slow machine tries again).
            if round > free + 1 {
                let again = wrong_passwords(&app, &known, &unknown).await;
                assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "round {round}");
                longest = again.retry_after;
            }
        }
        assert!(longest >= Some(290), "the waits reach their ceiling: {longest:?}");
    }
}

/// The pending invitation to `email` at the workspace, as its Access control page lists it.
async fn pending_invitation(app: &TestApp, owner: &Client, email: &str) -> String {
    let view = app.json(owner, "access/get", &[("scope", WS)], StatusCode::OK).await;
    let pending = view["invitations"].as_array().unwrap().iter().find(|i| i["email"] == email);
    pending.expect("a pending invitation")["id"].to_string()
}

/// Granting a role by email to someone outside the organization invites them, with the same
/// answer whether or not the address has an account on the instance (a confirmed one, here),
/// and after the same work.
#[tokio::test]
async fn granting_by_email_takes_as_long_for_an_account_as_for_no_one() {
    granting_by_email_takes_as_long(0).await;
}

/// The same in an organization with 20,000 role assignments, where finding out whether an
/// address belongs to a member must not cost more when an account has the address. (The member
/// lookup once read all the organization's assignments, `u.id IN (SELECT user_id FROM
/// role_assignments WHERE organization_id = …)`, only when a row of `users` had the address:
/// this test told the two apart with P = 0.95 on SQLite and 0.79 on PostgreSQL.)
#[tokio::test]
async fn granting_by_email_in_a_large_organization_takes_as_long_for_an_account_as_for_no_one() {
    granting_by_email_takes_as_long(20_000).await;
}

/// Times grants by email to Bob (with an account) and to Bea (without) in organization
/// `contoso`, given `crowd` more members. Each invitation is revoked after its trial
/// (untimed), so the next grant invites anew; an organization sends at most 100 invitations
/// an hour, so the clock moves on an hour every 90 trials.
async fn granting_by_email_takes_as_long(crowd: i64) {
    let (app, ada) = app_with_workspace().await;
    add_members(&app, "contoso", crowd).await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    confirm(&app, &ada, &bob).await;
    let pool = app.pool().await;
    let pending = "SELECT id FROM invitations WHERE email = $1 AND state = 'pending'";
    let mut timer = Timer::default();
    let [grant] = measure(async |i: usize, exists: bool| {
        if i.is_multiple_of(90) {
            app.clock.advance(3601);
        }
        let email = if exists { "bob@example.com" } else { "bea@example.com" };
        let form = [("scope", WS), ("email", email), ("role", "Reader")];
        let ms = timer.time(post(&app, &ada, "access/grant", &form)).await;
        // (Read from the database: the Access control page would list every member.)
        let id: i64 = sqlx::query_scalar(pending).bind(email).fetch_one(&pool).await.unwrap();
        let form = [("scope", WS), ("invitation", &id.to_string())];
        app.json(&ada, "invitations/revoke", &form, StatusCode::OK).await;
        [ms]
    })
    .await;
    assert_eq!(timer.answered(StatusCode::OK), r#""Invited""#);
    grant.assert_indistinguishable(&format!("grant by email ({crowd} more members)"));
}

/// Gives organization `slug` `n` more members (Readers there, with confirmed addresses),
/// written straight to the database: a large organization, quickly.
async fn add_members(app: &TestApp, slug: &str, n: i64) {
    if n == 0 {
        return;
    }
    let pool = app.pool().await;
    let organization: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO users (email, email_key, display_name, password_hash, created_at, \
         email_verified_at) SELECT 'member' || i || '@example.com', \
         'member' || i || '@example.com', 'Member ' || i, 'x', 0, 0 FROM n",
    )
    .bind(n)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO role_assignments (organization_id, user_id, role_name, role_key, \
         scope_kind, scope_id, created_by, created_at) SELECT $1, id, 'Reader', 'reader', \
         'organization', $1, id, 0 FROM users WHERE email LIKE 'member%'",
    )
    .bind(organization)
    .execute(&pool)
    .await
    .unwrap();
}

/// An invitation's link answers alike whether the invited address has an account or not.
///
/// The holder of a link is meant to be the invitee, who knows whether they have an account.
/// But without a mail server the inviter copies the link to pass it on, and links get
/// forwarded: a link's page that said "sign in" to an address with an account and "sign up"
/// to one without would tell the inviter exactly what granting by email is careful to keep
/// from them. So the page never looks the address up: it offers a visitor both signing in and
/// creating an account with the invited address, and someone signed in with another address
/// only a masked form of it. Accepting or declining through the link as someone else, and
/// answering from one's inbox an invitation addressed to someone else, are refused alike.
/// The two invitations go to `bob` (a confirmed account) and `bea` (no account), which mask
/// alike (b•••@e•••.com); the link holder is the inviter, Ada.
#[tokio::test]
async fn an_invitation_link_answers_alike_whether_its_address_has_an_account() {
    let (app, ada) = app_with_workspace().await;
    // Answering from an inbox needs a confirmed address.
    confirm(&app, &ada, &ada).await;
    let bob = app.signed_in("Bob", "bob@example.com").await;
    confirm(&app, &ada, &bob).await;
    // Both invitations made in the same second: their expiry is part of the answer compared.
    app.clock.stop();
    let mut links = Vec::new();
    for email in ["bob@example.com", "bea@example.com"] {
        let form = [
            ("scope", WS),
            ("emails", email),
            ("role", "Reader"),
            ("note", ""),
            ("access_ends", ""),
        ];
        app.json(&ada, "invitations/create", &form, StatusCode::OK).await;
        let id = pending_invitation(&app, &ada, email).await;
        let form = [("scope", WS), ("invitation", id.as_str())];
        let link = app.json(&ada, "invitations/link", &form, StatusCode::OK).await;
        let token = link.as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        links.push((email, token, id));
    }
    let visitor = client_from(40);
    for (_, token, _) in &links {
        let page = visitor.get(app.url(&format!("/invite/{token}"))).send().await.unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("Sign in to accept") && page.contains("Create an account"));
    }

    let mut timers: [Timer; 5] = Default::default();
    let samples = measure(async |_: usize, exists: bool| {
        let (email, token, id) = &links[if exists { 0 } else { 1 }];
        let [landing, offer, accept, decline, inbox] = &mut timers;
        let link = [("token", token.as_str())];
        let answer = [("invitation", id.as_str()), ("answer", "accept")];
        [
            landing.time_masking(post(&app, &visitor, "invitations/landing", &link), email).await,
            offer.time(post(&app, &ada, "invitations/landing", &link)).await,
            accept.time(post(&app, &ada, "invitations/accept", &link)).await,
            decline.time(post(&app, &ada, "invitations/decline", &link)).await,
            inbox.time(post(&app, &ada, "invitations/answer", &answer)).await,
        ]
    })
    .await;
    let [landing, offer, accept, decline, inbox] = &timers;
    assert!(landing.answered(StatusCode::OK).contains(r#""email":"<address>""#));
    assert!(offer.answered(StatusCode::OK).contains("b•••@e•••.com"));
    assert!(accept.answered(StatusCode::FORBIDDEN).contains("b•••@e•••.com"));
    assert!(decline.answered(StatusCode::FORBIDDEN).contains("b•••@e•••.com"));
    inbox.answered(StatusCode::NOT_FOUND);
    let names = [
        "invitation landing (visitor)",
        "invitation landing (someone else)",
        "accepting by link (someone else)",
        "declining by link (someone else)",
        "answering from the inbox (someone else's)",
    ];
    for (sample, what) in samples.iter().zip(names) {
        sample.assert_indistinguishable(what);
    }
}
