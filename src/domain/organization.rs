use super::Invalid;
use serde::{Deserialize, Serialize};

/// An organization's name as people read it: trimmed, 1 to 100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("Enter the organization's name."));
        }
        if name.chars().count() > 100 {
            return Err(Invalid::new("An organization name has at most 100 characters."));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new("An organization name cannot contain control characters."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const SLUG_RULE: &str =
    "Use 3 to 40 lower-case letters, digits or hyphens, starting and ending with a letter or digit.";

/// An organization's short name in URLs and scope paths (`/organizations/{slug}`); unique on
/// the instance and fixed once chosen, so links and role definitions keep working.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let slug = input.trim();
        let ok_chars =
            slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let ends_ok = !slug.starts_with('-') && !slug.ends_with('-');
        if !(3..=40).contains(&slug.len()) || !ok_chars || !ends_ok {
            return Err(Invalid::new(SLUG_RULE));
        }
        Ok(Self(slug.to_owned()))
    }

    /// A slug suggested from a name: "Contoso ML Lab" → "contoso-ml-lab".
    pub fn suggest(name: &str) -> String {
        let mut slug = String::new();
        for c in name.trim().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        slug.truncate(40);
        slug.trim_end_matches('-').to_owned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_rule() {
        assert!(Slug::parse("contoso").is_ok());
        assert!(Slug::parse("contoso-ml-2").is_ok());
        for bad in ["ab", "Contoso", "-contoso", "contoso-", "con toso", &"a".repeat(41)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggested_slugs_are_valid() {
        assert_eq!(Slug::suggest("Contoso ML Lab!"), "contoso-ml-lab");
        assert!(Slug::parse(&Slug::suggest("  Contoso -- Research  ")).is_ok());
    }

    #[test]
    fn organization_names_are_trimmed_and_bounded() {
        assert_eq!(OrganizationName::parse(" Contoso ").unwrap().as_str(), "Contoso");
        assert!(OrganizationName::parse("").is_err());
        assert!(OrganizationName::parse(&"x".repeat(101)).is_err());
    }
}
