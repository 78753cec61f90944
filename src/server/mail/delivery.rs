//! Delivers the outbox over SMTP: each queued message whose time has come is sent; a failure
//! is retried with growing pauses, then given up with its reason, which the inviter sees.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

use super::compose::MailBody;
use crate::server::config::{SmtpSecurity, SmtpSettings};
use crate::server::db::{invitations, outbox};
use crate::server::state::AppState;

/// Attempts before a message is marked failed for good.
pub const MAX_ATTEMPTS: i64 = 5;

/// How long to wait before attempt `attempts + 1`: 30 s, 2 min, 8 min, 32 min.
pub fn retry_delay(attempts: i64) -> i64 {
    30 * 4_i64.pow(u32::try_from(attempts.clamp(0, 6)).unwrap_or(0))
}

/// Runs for the life of the server (only when SMTP is configured).
pub async fn run(state: AppState) {
    loop {
        if let Err(error) = deliver_due(&state).await {
            tracing::warn!(error = %format!("{error:#}"), "delivering mail failed");
        }
        // A new message wakes the worker at once; retries are found by the next poll.
        let _ = tokio::time::timeout(Duration::from_secs(2), state.mail_queued.notified()).await;
    }
}

async fn deliver_due(state: &AppState) -> anyhow::Result<()> {
    let Some(smtp) = &state.settings.smtp else { return Ok(()) };
    let due = outbox::due(&state.pool, state.clock.now(), 20).await?;
    if due.is_empty() {
        return Ok(());
    }
    let transport = transport(smtp)?;
    for mail in due {
        let outcome = match opened(state, &mail) {
            Ok(body) => {
                send(&transport, &state.settings.mail_from, &mail.recipient, &mail.subject, body)
                    .await
            }
            Err(error) => Err(error),
        };
        let now = state.clock.now();
        let mut tx = crate::server::db::begin(&state.pool).await?;
        match &outcome {
            Ok(()) => {
                outbox::mark_sent(&mut tx, mail.id, now).await?;
                tracing::info!(mail_id = mail.id, "mail sent");
            }
            Err(error) => {
                let attempts = mail.attempts + 1;
                let retry_at = (attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts - 1));
                let reason = reason(error);
                outbox::mark_attempt_failed(&mut tx, mail.id, &reason, retry_at).await?;
                tracing::warn!(mail_id = mail.id, attempts, error = %format!("{error:#}"), "mail not sent");
            }
        }
        if let Some(invitation) = mail.invitation_id {
            let reason = outcome.as_ref().err().map(reason).unwrap_or_default();
            invitations::record_delivery(&mut tx, invitation, outcome.is_ok(), &reason).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// What the inviter reads: the mail server's answer, without our internals.
fn reason(error: &anyhow::Error) -> String {
    let text = format!("{error:#}");
    text.chars().take(300).collect()
}

fn transport(smtp: &SmtpSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let builder = match smtp.security {
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
    };
    let builder = builder.port(smtp.port).timeout(Some(Duration::from_secs(20)));
    let builder = match (&smtp.username, &smtp.password) {
        (Some(user), Some(password)) => {
            builder.credentials(Credentials::new(user.clone(), password.clone()))
        }
        _ => builder,
    };
    Ok(builder.build())
}

/// The message to send: its body unsealed, with its link (if it has one) in place.
fn opened(state: &AppState, mail: &outbox::MailRecord) -> anyhow::Result<MailBody> {
    let body: MailBody = serde_json::from_str(&state.sealer.open(&mail.sealed_body)?)?;
    let link = match mail.sealed_link.as_str() {
        "" => None,
        sealed => Some(state.sealer.open(sealed)?),
    };
    Ok(body.with_link(link.as_deref()))
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &str,
    to: &str,
    subject: &str,
    body: MailBody,
) -> anyhow::Result<()> {
    let message = Message::builder()
        .from(from.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("ATELIER_MAIL_FROM: {e}"))?)
        .to(to.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("recipient: {e}"))?)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(body.text, body.html))?;
    transport.send(message).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time() {
        assert_eq!(retry_delay(0), 30);
        assert_eq!(retry_delay(1), 120);
        assert_eq!(retry_delay(3), 1920);
    }
}
