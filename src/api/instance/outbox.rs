use leptos::prelude::*;

use super::OutboxView;
use crate::error::AppError;

/// Every message in the outbox, newest first, as it was (or would have been) sent: for the
/// instance admin, especially when no mail server is configured.
#[server(endpoint = "instance/outbox")]
pub async fn outbox() -> Result<OutboxView, AppError> {
    use super::OutboxMessage;
    use crate::server::db::outbox;
    use crate::server::mail::compose::MailBody;
    use crate::server::{auth, error::OrInternal};

    let (state, _admin) = auth::caller_instance_admin().await?;
    let messages = outbox::all(&state.pool, 200).await.or_internal("reading the outbox")?;
    let messages = messages
        .into_iter()
        .map(|mail| {
            let link = (!mail.sealed_link.is_empty())
                .then(|| state.sealer.open(&mail.sealed_link).ok())
                .flatten();
            let body: Option<MailBody> = state
                .sealer
                .open(&mail.sealed_body)
                .ok()
                .and_then(|json| serde_json::from_str::<MailBody>(&json).ok())
                .map(|body| body.with_link(link.as_deref()));
            OutboxMessage {
                id: mail.id,
                recipient: mail.recipient,
                subject: mail.subject,
                text: body
                    .map(|b| b.text)
                    .unwrap_or_else(|| "(unreadable with this server's key)".into()),
                state: mail.state,
                attempts: mail.attempts,
                last_error: mail.last_error,
                created_at: mail.created_at,
                sent_at: mail.sent_at,
            }
        })
        .collect();
    Ok(OutboxView { mail_configured: state.settings.smtp.is_some(), messages })
}
