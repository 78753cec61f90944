//! Mail: composing invitations, delivering the outbox over SMTP, and the periodic housekeeping
//! of invitations (expiry, retention, reminders before time-boxed access ends).

pub mod account_mail;
pub mod compose;
pub mod delivery;
pub mod housekeeping;
