use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

/// An email address as a person typed it, trimmed. Two addresses that differ only in letter case
/// are the same account: compare and store uniqueness by [`Email::key`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let email = input.trim();
        if email.is_empty() {
            return Err(Invalid::new("Enter your email address."));
        }
        if email.chars().count() > MAX_LEN {
            return Err(Invalid::new(format!(
                "An email address has at most {MAX_LEN} characters."
            )));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid::new("An email address cannot contain spaces."));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(Invalid::new("An email address needs an @, as in name@example.com."));
        };
        if local.is_empty() || local.contains('@') || local.chars().count() > MAX_LOCAL_LEN {
            return Err(Invalid::new(
                "The part before the @ must be 1 to 64 characters, without another @.",
            ));
        }
        let labels_ok = domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if domain.is_empty() || !labels_ok {
            return Err(Invalid::new("The part after the @ must be a domain, as in example.com."));
        }
        Ok(Self(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity of the address, used for uniqueness and look-ups.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn surrounding_spaces_are_trimmed() {
        assert_eq!(Email::parse("  ada@example.com \n").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn key_ignores_letter_case() {
        let a = Email::parse("Ada.Lovelace@Example.COM").unwrap();
        let b = Email::parse("ada.lovelace@example.com").unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.as_str(), "Ada.Lovelace@Example.COM");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "   ",
            "ada",
            "@example.com",
            "ada@",
            "ada@@example.com",
            "a da@example.com",
            "ada@example..com",
            "ada@.example.com",
            "ada@-example.com",
            "ada@example.com\u{0}",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn length_limits_hold_at_the_edges() {
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@example.com")).is_ok());
        assert!(Email::parse(&format!("a{local}@example.com")).is_err());
        let domain = format!("{}.com", "d".repeat(MAX_LEN - 2 - 4));
        assert!(Email::parse(&format!("a@{domain}")).is_ok());
        assert!(Email::parse(&format!("ab@{domain}")).is_err());
    }

    proptest! {
        #[test]
        fn any_simple_address_parses_and_round_trips(
            local in "[a-z0-9._%+-]{1,30}",
            domain in "[a-z0-9]{1,20}\\.[a-z]{2,6}",
        ) {
            let input = format!("{local}@{domain}");
            let email = Email::parse(&input).unwrap();
            prop_assert_eq!(email.as_str(), input.as_str());
        }

        #[test]
        fn parsing_never_panics(input in ".*") {
            let _ = Email::parse(&input);
        }
    }
}
