//! The arguments every list server function reads the same way: a page link (`after`) and
//! optional filters, each refused with a message on the field it came from.

use crate::domain::listing::{Cursor, SortKey};
use crate::domain::Invalid;
use crate::error::AppError;

/// The page asked for: the first when `text` is blank.
pub fn after(text: &str, key: SortKey) -> Result<Option<Cursor>, AppError> {
    Cursor::parse_after(text, key).map_err(|e| AppError::invalid_field("after", e))
}

/// A filter that is off when blank, and otherwise must parse.
pub fn optional<T>(
    text: &str,
    field: &'static str,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Result<Option<T>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => parse(text).map(Some).map_err(|e| AppError::invalid_field(field, e)),
    }
}
