use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MIN_LEN: usize = 8;
/// Long passphrases are welcome; the cap only bounds the cost of hashing.
pub const MAX_LEN: usize = 128;

/// A new password that meets the policy: length only, no composition rules (NIST SP 800-63B).
/// Never trimmed: spaces are characters like any other. Debug output never shows the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let len = input.chars().count();
        if len < MIN_LEN {
            return Err(Invalid::new(format!(
                "Use at least {MIN_LEN} characters for your password."
            )));
        }
        if len > MAX_LEN {
            return Err(Invalid::new(format!(
                "Use at most {MAX_LEN} characters for your password."
            )));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn seven_characters_are_too_few_and_eight_are_enough() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(Password::parse("ééééééé").is_err());
        assert!(Password::parse("éééééééé").is_ok());
        assert!(Password::parse(&"é".repeat(MAX_LEN)).is_ok());
        assert!(Password::parse(&"é".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn sixty_four_characters_are_accepted() {
        assert!(Password::parse(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn spaces_are_kept() {
        assert_eq!(Password::parse("  spaced out  ").unwrap().expose(), "  spaced out  ");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let rendered = format!("{:?}", Password::parse("correct horse").unwrap());
        assert!(!rendered.contains("horse"));
    }

    proptest! {
        #[test]
        fn no_composition_rules(p in "[a-z]{8,128}") {
            prop_assert!(Password::parse(&p).is_ok());
        }
    }
}
