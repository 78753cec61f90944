//! The rest of a workspace's settings: environment, description and tags.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// The stage a workspace serves (seed 004: one workspace per environment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Environment {
    Development,
    Test,
    Production,
}

impl Environment {
    pub const ALL: [Environment; 3] = [Self::Development, Self::Test, Self::Production];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Test => "test",
            Self::Production => "production",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Development => "Development",
            Self::Test => "Test",
            Self::Production => "Production",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(input.trim()))
            .ok_or_else(|| Invalid::new("Choose development, test or production."))
    }
}

pub const MAX_DESCRIPTION: usize = 2000;

/// Free text about the workspace, up to 2,000 characters; may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description(String);

impl Description {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = input.trim();
        if text.chars().count() > MAX_DESCRIPTION {
            return Err(Invalid::new("A description has at most 2,000 characters."));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MAX_TAGS: usize = 50;

/// Key/value tags, written one `key=value` per line (a form field that works without
/// JavaScript). Keys are unique ignoring letter case; Azure's limits apply.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let mut tags: Vec<(String, String)> = Vec::new();
        for (n, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let line_no = n + 1;
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            let (key, value) = (key.trim(), value.trim());
            if key.is_empty() || key.chars().count() > 128 {
                return Err(Invalid::new(format!(
                    "Line {line_no}: a tag key has 1 to 128 characters, as in team=vision."
                )));
            }
            if let Some(c) = key.chars().find(|c| "<>%&\\?/".contains(*c) || c.is_control()) {
                return Err(Invalid::new(format!(
                    "Line {line_no}: a tag key cannot contain {c:?}."
                )));
            }
            if value.chars().count() > 256 {
                return Err(Invalid::new(format!(
                    "Line {line_no}: a tag value has at most 256 characters."
                )));
            }
            if tags.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                return Err(Invalid::new(format!(
                    "Line {line_no}: the tag {key:?} appears twice."
                )));
            }
            tags.push((key.to_owned(), value.to_owned()));
        }
        if tags.len() > MAX_TAGS {
            return Err(Invalid::new("At most 50 tags are allowed."));
        }
        Ok(Self(tags))
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The `key=value` lines [`Tags::parse`] reads back.
    pub fn to_text(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_parse_in_any_case() {
        assert_eq!(Environment::parse("Production").unwrap(), Environment::Production);
        assert!(Environment::parse("staging").is_err());
    }

    #[test]
    fn tags_round_trip_through_text() {
        let tags = Tags::parse("team=vision\n\n project = atlas \nreviewed").unwrap();
        assert_eq!(
            tags.pairs(),
            &[
                ("team".into(), "vision".into()),
                ("project".into(), "atlas".into()),
                ("reviewed".into(), String::new())
            ]
        );
        assert_eq!(Tags::parse(&tags.to_text()).unwrap(), tags);
    }

    #[test]
    fn duplicate_and_malformed_tags_name_their_line() {
        assert!(Tags::parse("a=1\nA=2").unwrap_err().0.starts_with("Line 2"));
        assert!(Tags::parse("=x").unwrap_err().0.starts_with("Line 1"));
        assert!(Tags::parse("a/b=1").is_err());
        let many: String = (0..51).map(|i| format!("k{i}=v\n")).collect();
        assert!(Tags::parse(&many).is_err());
    }

    #[test]
    fn descriptions_are_bounded() {
        assert!(Description::parse(&"d".repeat(2000)).is_ok());
        assert!(Description::parse(&"d".repeat(2001)).is_err());
    }
}
