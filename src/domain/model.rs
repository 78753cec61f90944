//! Registered models: their names, the stages a version moves through, and what is said about
//! a version when it is registered.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// A registered model's name (Azure: 1–255 characters; letters, digits, `_`, `-` and `.`,
/// starting with a letter or digit). Unique in its workspace ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelName(String);

impl ModelName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        let Some(first) = name.chars().next() else {
            return Err(Invalid::new("Give the model a name."));
        };
        if name.chars().count() > 255 {
            return Err(Invalid::new("A model name has at most 255 characters."));
        }
        if !first.is_ascii_alphanumeric() {
            return Err(Invalid::new("A model name starts with a letter or a digit."));
        }
        if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(*c))) {
            return Err(Invalid::new(format!(
                "A model name has letters, digits, '_', '-' and '.' only, not {c:?}."
            )));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// Where a model version is in its life (MLflow's stages). A version may move from any stage
/// to any other, but a model has at most one version in production.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelStage {
    #[default]
    None,
    Staging,
    Production,
    Archived,
}

impl ModelStage {
    pub const ALL: [ModelStage; 4] = [Self::None, Self::Staging, Self::Production, Self::Archived];

    /// How the stage is stored and written in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Staging => "Staging",
            Self::Production => "Production",
            Self::Archived => "Archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No stage",
            Self::Staging => "Staging",
            Self::Production => "Production",
            Self::Archived => "Archived",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(input)).ok_or_else(|| {
            Invalid::new("A model version's stage is None, Staging, Production or Archived.")
        })
    }

    /// Whether a version may move from `self` to `next`: to any other stage.
    pub fn may_become(self, next: ModelStage) -> bool {
        self != next
    }

    /// What becomes of the model's version already in `self` when another version moves
    /// into it: the production version it replaces is archived; other stages hold any number.
    pub fn replaced_becomes(self) -> Option<ModelStage> {
        (self == Self::Production).then_some(Self::Archived)
    }
}

/// The framework a model was trained with (PyTorch, scikit-learn, …): free text, at most 64
/// characters, one line; empty when not said.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework(String);

impl Framework {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = input.trim();
        if text.chars().count() > 64 {
            return Err(Invalid::new("A framework has at most 64 characters."));
        }
        if text.chars().any(char::is_control) {
            return Err(Invalid::new("A framework is a single line of text."));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A version number as typed or sent: a whole number from 1.
pub fn parse_version(input: &str) -> Result<i64, Invalid> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| Invalid::new("A version is a whole number from 1."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_follow_azure_rules() {
        assert_eq!(ModelName::parse(" churn-xgb_v2.1 ").unwrap().as_str(), "churn-xgb_v2.1");
        assert_eq!(ModelName::parse("Churn").unwrap().key(), "churn");
        assert_eq!(ModelName::parse("").unwrap_err().0, "Give the model a name.");
        assert!(ModelName::parse(".hidden").unwrap_err().0.contains("starts with"));
        assert!(ModelName::parse("has space").unwrap_err().0.contains("' '"));
        assert!(ModelName::parse(&"a".repeat(255)).is_ok());
        assert!(ModelName::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn any_stage_may_move_to_any_other() {
        for from in ModelStage::ALL {
            for to in ModelStage::ALL {
                assert_eq!(from.may_become(to), from != to, "{from:?} to {to:?}");
            }
        }
    }

    #[test]
    fn only_production_is_held_by_one_version_and_its_holder_is_archived() {
        assert_eq!(ModelStage::Production.replaced_becomes(), Some(ModelStage::Archived));
        for stage in [ModelStage::None, ModelStage::Staging, ModelStage::Archived] {
            assert_eq!(stage.replaced_becomes(), None, "{stage:?}");
        }
    }

    #[test]
    fn stages_parse_ignoring_case_and_round_trip() {
        for stage in ModelStage::ALL {
            assert_eq!(ModelStage::parse(stage.as_str()).unwrap(), stage);
        }
        assert_eq!(ModelStage::parse(" production ").unwrap(), ModelStage::Production);
        assert!(ModelStage::parse("live").is_err());
        assert_eq!(ModelStage::default(), ModelStage::None);
    }

    #[test]
    fn frameworks_are_short_single_lines() {
        assert_eq!(Framework::parse(" PyTorch ").unwrap().as_str(), "PyTorch");
        assert_eq!(Framework::parse("").unwrap().as_str(), "");
        assert!(Framework::parse(&"x".repeat(65)).is_err());
        assert!(Framework::parse("a\nb").is_err());
    }

    #[test]
    fn versions_are_whole_numbers_from_one() {
        assert_eq!(parse_version(" 3 ").unwrap(), 3);
        assert!(parse_version("0").is_err());
        assert!(parse_version("-1").is_err());
        assert!(parse_version("v1").is_err());
    }
}
