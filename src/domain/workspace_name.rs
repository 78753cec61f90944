use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A workspace's `name`: used in URLs and scope paths. Seed rule:
/// `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`, unique within its resource group ignoring letter case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceName(String);

pub const RULE: &str =
    "Use 3 to 33 letters, digits, hyphens or underscores, starting with a letter or digit.";

impl WorkspaceName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        let mut chars = name.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let len = name.chars().count();
        if name.is_empty() {
            return Err(Invalid::new(format!("Enter a workspace name. {RULE}")));
        }
        if !(3..=33).contains(&len) || !first_ok || !rest_ok {
            return Err(Invalid::new(RULE));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity used for uniqueness.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for WorkspaceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn length_edges() {
        assert!(WorkspaceName::parse("ab").is_err());
        assert!(WorkspaceName::parse("abc").is_ok());
        assert!(WorkspaceName::parse(&"a".repeat(33)).is_ok());
        assert!(WorkspaceName::parse(&"a".repeat(34)).is_err());
    }

    #[test]
    fn first_character_must_be_a_letter_or_digit() {
        assert!(WorkspaceName::parse("9lives").is_ok());
        assert!(WorkspaceName::parse("-abc").is_err());
        assert!(WorkspaceName::parse("_abc").is_err());
    }

    #[test]
    fn only_letters_digits_hyphens_and_underscores() {
        assert!(WorkspaceName::parse("ml-team_01").is_ok());
        for bad in ["ml team", "ml.team", "ml/team", "mlé-team", "ml+team"] {
            assert!(WorkspaceName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_message_states_the_rule() {
        assert_eq!(WorkspaceName::parse("a b").unwrap_err().0, RULE);
    }

    proptest! {
        #[test]
        fn agrees_with_the_seed_regex(input in "[a-zA-Z0-9_. -]{0,40}") {
            let expected = {
                let mut chars = input.chars();
                let len = input.len();
                chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
                    && input.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && (3..=33).contains(&len)
            };
            // Surrounding spaces are trimmed before the rule applies.
            if input == input.trim() {
                prop_assert_eq!(WorkspaceName::parse(&input).is_ok(), expected);
            }
        }
    }
}
