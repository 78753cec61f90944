//! Environments: a named, versioned description of the software a run needs.

use super::run::asset_name;
use super::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentName(String);

impl EnvironmentName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        asset_name(input, "environment").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// A container image reference such as `mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04`
/// or `python:3.11-slim`: one word, up to 512 characters.
pub fn parse_base_image(input: &str) -> Result<String, Invalid> {
    let image = input.trim();
    if image.is_empty() {
        return Err(Invalid::new("Name the base image, such as python:3.11-slim."));
    }
    if image.len() > 512 || image.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Invalid::new("An image reference is one word of at most 512 characters."));
    }
    Ok(image.to_owned())
}

pub const MAX_SPEC: usize = 64 * 1024;

/// A conda environment file or pip requirements, as text: at most 64 KB.
pub fn parse_spec(input: &str) -> Result<String, Invalid> {
    if input.len() > MAX_SPEC {
        return Err(Invalid::new("A specification has at most 64 KB."));
    }
    Ok(input.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_names_images_and_specs_are_checked() {
        assert_eq!(EnvironmentName::parse(" sklearn-1.5 ").unwrap().key(), "sklearn-1.5");
        let error = EnvironmentName::parse("-x").unwrap_err().0;
        assert_eq!(error, "An environment name starts with a letter or a digit.");
        assert!(parse_base_image("python:3.11-slim").is_ok());
        assert!(parse_base_image("python 3").is_err());
        assert!(parse_base_image("").is_err());
        assert!(parse_spec(&"x".repeat(MAX_SPEC + 1)).is_err());
    }
}
