//! What a person chooses when creating an access token: its name and how long it lasts.

use super::Invalid;

/// The longest a token may last: a year (and a day, so "a year from today" fits).
pub const MAX_DAYS: i64 = 366;

/// A token's name, to recognise it later in the list ("CI on main", "laptop").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("Give the token a name, such as \"training on my laptop\"."));
        }
        if name.chars().count() > 100 {
            return Err(Invalid::new("A token name has at most 100 characters."));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new("A token name is a single line of text."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When a token ends, from a date (`YYYY-MM-DD`, the end of that day UTC) or nothing for a
/// token that lasts until revoked. It must be after `now` and at most [`MAX_DAYS`] ahead.
pub fn parse_end_date(input: &str, now: i64) -> Result<Option<i64>, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let start = super::format::epoch_from_date(text)
        .ok_or_else(|| Invalid::new("Write the end date as YYYY-MM-DD."))?;
    let end = start + 86_400;
    if end <= now {
        return Err(Invalid::new("The end date has passed: choose a later one."));
    }
    if end > now + MAX_DAYS * 86_400 {
        return Err(Invalid::new("A token lasts at most a year: choose an earlier end date."));
    }
    Ok(Some(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_400_000; // 2026-12-04 16:00 UTC

    #[test]
    fn names_are_one_short_line() {
        assert_eq!(TokenName::parse("  CI on main ").unwrap().as_str(), "CI on main");
        assert!(TokenName::parse(" ").is_err());
        assert!(TokenName::parse("a\nb").is_err());
        assert!(TokenName::parse(&"x".repeat(101)).is_err());
    }

    #[test]
    fn end_dates_lie_within_a_year() {
        assert_eq!(parse_end_date("", NOW), Ok(None));
        assert_eq!(parse_end_date("2026-12-04", NOW), Ok(Some(1_796_428_800)));
        assert!(parse_end_date("2026-12-03", NOW).is_err());
        assert!(parse_end_date("2027-12-04", NOW).is_ok());
        assert!(parse_end_date("2027-12-06", NOW).is_err());
        assert!(parse_end_date("next week", NOW).is_err());
    }
}
