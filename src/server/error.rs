//! Turning internal failures into the shared [`AppError`]: the cause goes to the log, the person
//! gets a message without internals.

use crate::error::{AppError, ErrorKind};
use std::fmt::Debug;

pub trait OrInternal<T> {
    /// Logs the error with `what` was being done, and replaces it with a generic message.
    fn or_internal(self, what: &'static str) -> Result<T, AppError>;
}

impl<T, E: Debug> OrInternal<T> for Result<T, E> {
    fn or_internal(self, what: &'static str) -> Result<T, AppError> {
        self.map_err(|cause| internal(what, cause))
    }
}

pub fn internal(what: &'static str, cause: impl Debug) -> AppError {
    tracing::error!(?cause, "{what} failed");
    AppError::new(ErrorKind::Internal, "Something went wrong on our side. Please try again.")
}
