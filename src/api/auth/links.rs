//! Mailing account links: a confirmation link to an address, a reset link, or a notice. Each
//! is written in the caller's transaction with its outbox message; the mail worker is woken
//! by the caller once it commits.

use crate::error::AppError;
use crate::server::db::account_links::{self, NewLink, Purpose};
use crate::server::db::outbox::{self, AccountMail};
use crate::server::error::OrInternal;
use crate::server::mail::account_mail;
use crate::server::mail::compose::MailBody;
use crate::server::secrets::new_token;
use crate::server::state::AppState;

/// How long a confirmation link works.
pub const CONFIRM_SECONDS: i64 = 24 * 3600;
/// How long a reset link works.
pub const RESET_SECONDS: i64 = 3600;

/// Who a link is for: the account, its name, and the address it is mailed to.
pub struct Recipient<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
}

fn sealed(state: &AppState, body: &MailBody) -> Result<String, AppError> {
    let json = serde_json::to_string(body).or_internal("encoding an email")?;
    state.sealer.seal(&json).or_internal("sealing an email")
}

fn url(state: &AppState, path: &str) -> String {
    let base = state.settings.base_url.as_ref().map(|u| u.as_str()).unwrap_or("/");
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Which link, and so which message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMail {
    /// The address an account signed up with.
    ConfirmSignUp,
    /// A new address an account asked for.
    ConfirmNewAddress,
    Reset,
}

impl LinkMail {
    fn purpose(self) -> Purpose {
        match self {
            Self::ConfirmSignUp | Self::ConfirmNewAddress => Purpose::Confirm,
            Self::Reset => Purpose::Reset,
        }
    }
}

/// Stores a new link for the recipient (ending their earlier one) and queues its
/// mail. With `instead`, that notice is mailed in place of the link, after the same work: an
/// address that a confirmed account holds gets told, and no one can tell from outside.
pub async fn mail_link(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    to: &Recipient<'_>,
    what: LinkMail,
    instead: Option<(String, MailBody)>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let purpose = what.purpose();
    let (token, token_hash) = new_token().or_internal("making a link token")?;
    let (seconds, path) = match purpose {
        Purpose::Confirm => (CONFIRM_SECONDS, format!("/confirm/{token}")),
        Purpose::Reset => (RESET_SECONDS, format!("/reset-password/{token}")),
    };
    let expires = crate::domain::format::date_time(now + seconds);
    let (subject, body) = match what {
        LinkMail::ConfirmSignUp => account_mail::confirm_address(to.name, &expires, false),
        LinkMail::ConfirmNewAddress => account_mail::confirm_address(to.name, &expires, true),
        LinkMail::Reset => account_mail::reset_password(to.name, &expires),
    };
    let link = state.sealer.seal(&url(state, &path)).or_internal("sealing a link")?;
    let ((subject, body), sealed_link) = match instead {
        Some(notice) => (notice, String::new()),
        None => ((subject, body), link),
    };
    let sealed_body = sealed(state, &body)?;
    let mail = AccountMail {
        recipient: to.email,
        subject: &subject,
        sealed_body: &sealed_body,
        sealed_link: &sealed_link,
    };
    let new = NewLink {
        user_id: to.user_id,
        purpose,
        email: to.email,
        email_key: to.email_key,
        token_hash: &token_hash,
        expires_at: now + seconds,
        mail,
    };
    account_links::create(tx, new, now).await.or_internal("storing a link")?;
    Ok(())
}

/// Queues a notice (no link) to an address.
pub async fn mail_notice(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    recipient: &str,
    (subject, body): (String, MailBody),
) -> Result<(), AppError> {
    let sealed_body = sealed(state, &body)?;
    let mail =
        AccountMail { recipient, subject: &subject, sealed_body: &sealed_body, sealed_link: "" };
    outbox::queue_account_mail(tx, mail, None, state.clock.now())
        .await
        .or_internal("queueing an email")?;
    Ok(())
}

/// Mails a confirmation link for `to`'s address, or, when a confirmed account holds that
/// address, a notice to its owner instead (after the same work). Commits and wakes the mail
/// worker.
pub async fn send_confirmation(
    state: &AppState,
    to: &Recipient<'_>,
    what: LinkMail,
) -> Result<(), AppError> {
    use crate::server::db::addresses;
    let held = addresses::held_by_another(&state.pool, to.email_key, to.user_id)
        .await
        .or_internal("looking up an address")?;
    let instead = held.then(account_mail::already_registered);
    let mut tx =
        crate::server::db::begin(&state.pool).await.or_internal("starting a transaction")?;
    mail_link(state, &mut tx, to, what, instead).await?;
    tx.commit().await.or_internal("storing a link")?;
    state.mail_queued.notify_one();
    Ok(())
}
