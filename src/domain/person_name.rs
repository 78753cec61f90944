use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_LEN: usize = 80;

/// The name a person goes by in Atelier: shown in the header, on members lists and in the
/// audit log. Trimmed; any script is welcome; control characters are not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("Enter the name you go by."));
        }
        if name.chars().count() > MAX_LEN {
            return Err(Invalid::new(format!("A name has at most {MAX_LEN} characters.")));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new("A name cannot contain control characters."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(PersonName::parse("  Grace Hopper ").unwrap().as_str(), "Grace Hopper");
    }

    #[test]
    fn blank_names_are_refused() {
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse(" \t ").is_err());
    }

    #[test]
    fn length_limit_holds_at_the_edge() {
        assert!(PersonName::parse(&"名".repeat(MAX_LEN)).is_ok());
        assert!(PersonName::parse(&"名".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(PersonName::parse("Ada\u{7}Lovelace").is_err());
        assert!(PersonName::parse("Ada\nLovelace").is_err());
    }

    proptest! {
        #[test]
        fn printable_names_round_trip(name in "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ '-]{0,60}[A-Za-zÀ-ÿ]") {
            let parsed = PersonName::parse(&name).unwrap();
            prop_assert_eq!(parsed.as_str(), name.as_str());
        }
    }
}
