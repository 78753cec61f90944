use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_LEN: usize = 260;
pub const FORBIDDEN: [char; 10] = ['<', '>', '*', '%', '&', ':', '\\', '?', '+', '/'];

/// A workspace's display name (seed 000): up to 260 characters, not ending in a space, none of
/// `< > * % & : \ ? + /`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if input.trim().is_empty() {
            return Err(Invalid::new("Enter a display name."));
        }
        if input.chars().count() > MAX_LEN {
            return Err(Invalid::new("A display name has at most 260 characters."));
        }
        if input.ends_with(char::is_whitespace) {
            return Err(Invalid::new("A display name cannot end in a space."));
        }
        if let Some(c) = input.chars().find(|c| FORBIDDEN.contains(c)) {
            return Err(Invalid::new(format!(
                "A display name cannot contain {c:?}. Avoid these characters: < > * % & : \\ ? + /"
            )));
        }
        if input.chars().any(char::is_control) {
            return Err(Invalid::new("A display name cannot contain control characters."));
        }
        Ok(Self(input.trim_start().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_forbidden_character_is_refused_and_named() {
        for c in FORBIDDEN {
            let error = DisplayName::parse(&format!("Team {c} models")).unwrap_err();
            assert!(error.0.contains(&format!("{c:?}")), "{c}: {}", error.0);
        }
    }

    #[test]
    fn two_hundred_sixty_characters_fit_and_one_more_does_not() {
        assert!(DisplayName::parse(&"x".repeat(260)).is_ok());
        assert!(DisplayName::parse(&"x".repeat(261)).is_err());
        assert!(DisplayName::parse(&"é".repeat(260)).is_ok());
    }

    #[test]
    fn a_trailing_space_is_refused() {
        assert!(DisplayName::parse("Team models ").is_err());
        assert!(DisplayName::parse("Team models\t").is_err());
        assert!(DisplayName::parse("Team models").is_ok());
    }

    #[test]
    fn blank_is_refused() {
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("   ").is_err());
    }

    proptest! {
        #[test]
        fn allowed_characters_pass(name in "[A-Za-z0-9 ()._#@!,;'\"=-]{0,250}[A-Za-z0-9]") {
            prop_assert!(DisplayName::parse(&name).is_ok());
        }

        #[test]
        fn any_forbidden_character_fails(
            before in "[a-z ]{0,20}",
            c in proptest::sample::select(FORBIDDEN.to_vec()),
            after in "[a-z]{1,20}",
        ) {
            let name = format!("{before}{c}{after}");
            prop_assert!(DisplayName::parse(&name).is_err());
        }
    }
}
