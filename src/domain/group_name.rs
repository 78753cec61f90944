//! A group's name. A group is named in role assignments and on Access control pages ("via Data
//! scientists"), so it follows the rules of role names: NFKC with single spaces, nothing
//! invisible, and compared ignoring letter case (`role_key`), so "Data scientists" and "data
//! Scientists" are one group.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::role_name::folded_name;
use super::Invalid;

pub const MAX_CHARS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupName(String);

impl GroupName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = folded_name(input).map_err(|hidden| {
            Invalid::new(format!(
                "Group names cannot contain invisible or control characters (this one has U+{:04X}).",
                u32::from(hidden)
            ))
        })?;
        if name.is_empty() {
            return Err(Invalid::new(
                "Give the group a name, such as \u{201c}Data scientists\u{201d}.",
            ));
        }
        if name.chars().count() > MAX_CHARS {
            return Err(Invalid::new("A group's name has at most 64 characters."));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role_key;

    #[test]
    fn names_are_folded_like_role_names() {
        assert_eq!(GroupName::parse("  Data   scientists ").unwrap().as_str(), "Data scientists");
        // A no-break space and full-width letters fold to their plain forms.
        assert_eq!(GroupName::parse("Data\u{a0}Ｓcientists").unwrap().as_str(), "Data Scientists");
        assert_eq!(
            role_key(GroupName::parse("data Scientists").unwrap().as_str()),
            role_key(GroupName::parse("Data scientists").unwrap().as_str())
        );
        assert!(GroupName::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn empty_long_and_invisible_names_are_refused_with_a_reason() {
        assert!(GroupName::parse("   ").unwrap_err().0.contains("Give the group a name"));
        assert!(GroupName::parse(&"a".repeat(65)).unwrap_err().0.contains("at most 64"));
        let hidden = GroupName::parse("Admins\u{200b}").unwrap_err().0;
        assert!(hidden.contains("U+200B"), "{hidden}");
    }
}
