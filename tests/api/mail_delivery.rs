//! Invitation email over real SMTP (a sink on a local port): the message, its headers and its
//! one link; the state the inviter sees; and retries, then failure, once the server is gone.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use atelier::server::config::{SmtpSecurity, SmtpSettings};

use crate::helpers::{spawn_app_with, TestApp};
use crate::smtp_sink::SmtpSink;

const WS: &str = "/organizations/contoso/resourceGroups/vision/workspaces/detector";

async fn app_with_mail(sink: &SmtpSink) -> (TestApp, Client) {
    let port = sink.port;
    let app = spawn_app_with(|settings| {
        settings.smtp = Some(SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        });
    })
    .await;
    let ada = app.signed_in("Ada", "ada@example.com").await;
    app.workspace_fixture(&ada, "contoso", "vision", "detector").await;
    (app, ada)
}

async fn invite(app: &TestApp, ada: &Client, email: &str) {
    let form =
        [("scope", WS), ("emails", email), ("role", "Reader"), ("note", ""), ("access_ends", "")];
    app.json(ada, "invitations/create", &form, StatusCode::OK).await;
}

async fn delivery(app: &TestApp, ada: &Client, email: &str) -> Value {
    let view = app.json(ada, "access/get", &[("scope", WS)], StatusCode::OK).await;
    view["invitations"].as_array().unwrap().iter().find(|i| i["email"] == email).unwrap()
        ["delivery"]
        .clone()
}

/// Waits until `done` holds, for at most 20 s: what the inviter sees changes only when the
/// background worker has recorded an attempt, and the page has no other signal than its data.
async fn eventually<F: std::future::Future<Output = bool>>(mut done: impl FnMut() -> F) {
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the condition did not come true within 20 s");
}

/// The message body with quoted-printable soft breaks and escapes undone.
fn decoded(data: &str) -> String {
    let joined = data.replace("=\r\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn the_invitation_email_is_delivered_with_one_link_and_shows_as_sent() {
    let sink = SmtpSink::start().await;
    let (app, ada) = app_with_mail(&sink).await;
    invite(&app, &ada, "bob@example.com").await;
    // Ada's own confirmation link went out when she signed up; Bob's invitation follows.
    let messages = sink.wait_for(2).await;
    let to_bob: Vec<_> = messages.iter().filter(|m| m.to == ["<bob@example.com>"]).collect();
    assert_eq!(to_bob.len(), 1, "{:?}", messages.iter().map(|m| &m.to).collect::<Vec<_>>());
    let message = to_bob[0];
    assert!(message.from.contains("atelier@example.com"), "{}", message.from);
    let data = decoded(&message.data);
    assert!(data.contains("To: bob@example.com"), "{data}");
    assert!(data.contains("Subject: "), "{data}");
    assert!(data.contains("multipart/alternative"), "{data}");
    assert!(data.contains("text/plain") && data.contains("text/html"), "{data}");
    let prefix = format!("{}/invite/", app.base_url);
    let links: Vec<&str> = data
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .filter(|w| w.contains("://"))
        .collect();
    assert!(!links.is_empty(), "{data}");
    assert!(links.iter().all(|l| *l == links[0]), "one link only: {links:?}");
    assert!(links[0].starts_with(&prefix), "{links:?}");
    eventually(|| async { delivery(&app, &ada, "bob@example.com").await == "Sent" }).await;

    let token = links[0].trim_start_matches(&prefix);
    let bob = app.signed_in("Bob", "bob@example.com").await;
    let accepted = app.call(&bob, "invitations/accept", &[("token", token)]).await;
    assert_eq!(accepted.status(), StatusCode::OK);

    let log = app
        .json(&ada, "access/activity", &[("scope", "/organizations/contoso")], StatusCode::OK)
        .await;
    let delivered = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["details"].as_str().unwrap().contains("\"delivered\""));
    assert!(delivered, "{log}");
}

#[tokio::test]
async fn with_the_mail_server_gone_delivery_is_retried_then_marked_failed() {
    let sink = SmtpSink::start().await;
    let (app, ada) = app_with_mail(&sink).await;
    sink.stop();
    invite(&app, &ada, "carol@example.com").await;
    eventually(|| async {
        delivery(&app, &ada, "carol@example.com").await["Retrying"]["attempts"] == 1
    })
    .await;
    // Each retry waits longer; move the server's clock past each pause.
    for attempt in 2..=5 {
        app.clock.advance(3600);
        eventually(|| async {
            let state = delivery(&app, &ada, "carol@example.com").await;
            state["Retrying"]["attempts"] == attempt || state.get("Failed").is_some()
        })
        .await;
    }
    let failed = delivery(&app, &ada, "carol@example.com").await;
    assert!(failed["Failed"]["reason"].as_str().unwrap().len() > 3, "{failed}");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE recipient = $1")
        .bind("carol@example.com")
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(attempts, 5);
    assert!(!sink.messages().iter().any(|m| m.to == ["<carol@example.com>"]));
}
