//! The one error type that crosses the wire. It carries a kind the UI can act on and a message
//! written for people. Internal causes never travel in it: the server logs them (see
//! `server::error`) and sends a generic message instead.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// The input was refused; `field` says which input, when one is to blame.
    Invalid,
    /// The request needs a signed-in person (or the sign-in attempt failed).
    Unauthenticated,
    /// Not allowed, or does not exist as far as the caller may know.
    NotFound,
    /// The change clashes with what is already there (a taken email, a duplicate name).
    Conflict,
    /// The person may see this but not do that (or the request came from another site).
    Forbidden,
    /// Something failed on the server; the details are in its log.
    Internal,
    /// The server could not be reached or its answer could not be read.
    Unavailable,
    /// Too many tries (guessing, flooding): wait before trying again.
    TooManyRequests,
}

impl ErrorKind {
    /// The HTTP status a server function answers with for this kind of error.
    pub fn http_status(self) -> u16 {
        match self {
            Self::Invalid => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::TooManyRequests => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    /// The form field this error belongs next to, by its `name`.
    pub field: Option<String>,
    /// Seconds to wait before trying again (too many tries); sent as `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), field: None, retry_after: None }
    }

    /// Too many tries: wait `seconds` (said in `message`) before the next.
    pub fn too_many(seconds: u64, message: impl Into<String>) -> Self {
        Self { retry_after: Some(seconds), ..Self::new(ErrorKind::TooManyRequests, message) }
    }

    pub fn invalid_field(field: &str, invalid: Invalid) -> Self {
        Self { field: Some(field.to_owned()), ..Self::new(ErrorKind::Invalid, invalid.0) }
    }

    /// The value clashes with an existing one (a taken name).
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self { field: Some(field.to_owned()), ..Self::new(ErrorKind::Conflict, message) }
    }

    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound, "Not found.")
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "Please sign in to continue.")
    }

    /// The message to show beside `field`, if this error belongs there.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        (self.field.as_deref() == Some(field)).then_some(self.message.as_str())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => Self::new(
                ErrorKind::Unavailable,
                "Atelier could not be reached. Check your connection and try again.",
            ),
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                Self::new(ErrorKind::Invalid, "The form was incomplete. Please fill it in again.")
            }
            _ => Self::new(ErrorKind::Internal, "Something went wrong. Please try again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_show_only_beside_their_field() {
        let error = AppError::invalid_field("email", Invalid::new("Enter your email address."));
        assert_eq!(error.for_field("email"), Some("Enter your email address."));
        assert_eq!(error.for_field("password"), None);
    }

    #[test]
    fn transport_failures_become_readable_messages() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Request("refused".into()));
        assert_eq!(error.kind, ErrorKind::Unavailable);
        assert!(!error.message.contains("refused"));
    }
}
