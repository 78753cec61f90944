use super::Invalid;
use serde::{Deserialize, Serialize};

pub const RULE: &str = "Use 1 to 90 letters, digits, hyphens, underscores, periods or parentheses, not ending in a period.";

/// A resource group's name (Azure's rule), unique within its organization ignoring letter case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroupName(String);

impl ResourceGroupName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        let ok_chars = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'));
        if name.is_empty() || name.len() > 90 || !ok_chars || name.ends_with('.') {
            return Err(Invalid::new(RULE));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_azures_rule() {
        assert!(ResourceGroupName::parse("ml-project_(dev).1").is_ok());
        assert!(ResourceGroupName::parse(&"r".repeat(90)).is_ok());
        for bad in ["", "rg.", "r g", "rg/1", &"r".repeat(91)] {
            assert!(ResourceGroupName::parse(bad).is_err(), "{bad}");
        }
    }
}
