//! Scope paths, the way role assignments and definitions name where they apply:
//! `/organizations/{org}/resourceGroups/{group}/workspaces/{workspace}`, and Azure's shape for
//! the same places (`/subscriptions/{org}/resourceGroups/{group}/providers/
//! Microsoft.MachineLearningServices/workspaces/{workspace}`) so role JSON written for Azure
//! imports unchanged.

use super::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScopePath {
    /// `/`: everywhere on the instance (where built-in roles are assignable).
    Root,
    Organization {
        org: String,
    },
    ResourceGroup {
        org: String,
        group: String,
    },
    Workspace {
        org: String,
        group: String,
        workspace: String,
    },
}

const SHAPE: &str = "Write a scope as /organizations/{org}, …/resourceGroups/{group} or …/workspaces/{workspace} (Azure's /subscriptions/… form works too).";

impl ScopePath {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        // Slashes and spaces after go together, so that what is read shows and reads the same.
        let trimmed = input.trim().trim_end_matches(|c: char| c == '/' || c.is_whitespace());
        if trimmed.is_empty() {
            return Ok(Self::Root);
        }
        let segments: Vec<&str> = trimmed.split('/').collect();
        if segments.first() != Some(&"") || segments[1..].iter().any(|s| s.is_empty()) {
            return Err(Invalid::new(SHAPE));
        }
        let lower: Vec<String> = segments[1..].iter().map(|s| s.to_ascii_lowercase()).collect();
        let words: Vec<&str> = lower.iter().map(String::as_str).collect();
        let names = &segments[1..];
        let org_word = |w: &str| w == "organizations" || w == "subscriptions";
        match words.as_slice() {
            [o, _] if org_word(o) => Ok(Self::Organization { org: names[1].to_ascii_lowercase() }),
            [o, _, "resourcegroups", _] if org_word(o) => Ok(Self::ResourceGroup {
                org: names[1].to_ascii_lowercase(),
                group: names[3].to_owned(),
            }),
            [o, _, "resourcegroups", _, "workspaces", _] if org_word(o) => Ok(Self::Workspace {
                org: names[1].to_ascii_lowercase(),
                group: names[3].to_owned(),
                workspace: names[5].to_owned(),
            }),
            [o, _, "resourcegroups", _, "providers", "microsoft.machinelearningservices", "workspaces", _]
                if org_word(o) =>
            {
                Ok(Self::Workspace {
                    org: names[1].to_ascii_lowercase(),
                    group: names[3].to_owned(),
                    workspace: names[7].to_owned(),
                })
            }
            _ => Err(Invalid::new(SHAPE)),
        }
    }

    /// Whether `self` is `other` or one of its ancestors (names compare ignoring case).
    pub fn covers(&self, other: &ScopePath) -> bool {
        let (mine, theirs) = (self.parts(), other.parts());
        mine.len() <= theirs.len()
            && mine.iter().zip(&theirs).all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// The organization's name (slug), for every scope but the instance.
    pub fn organization(&self) -> Option<&str> {
        self.parts().first().copied()
    }

    fn parts(&self) -> Vec<&str> {
        match self {
            Self::Root => vec![],
            Self::Organization { org } => vec![org],
            Self::ResourceGroup { org, group } => vec![org, group],
            Self::Workspace { org, group, workspace } => vec![org, group, workspace],
        }
    }

    /// The page of this scope in the app.
    pub fn url(&self) -> String {
        match self {
            Self::Root => "/".to_owned(),
            other => other.to_string(),
        }
    }

    /// Azure's form of the same place (`/subscriptions/{org}/resourceGroups/{group}/providers/
    /// Microsoft.MachineLearningServices/workspaces/{workspace}`), for role JSON going back to
    /// Azure as it came.
    pub fn azure_form(&self) -> String {
        match self {
            Self::Root => "/".to_owned(),
            Self::Organization { org } => format!("/subscriptions/{org}"),
            Self::ResourceGroup { org, group } => {
                format!("/subscriptions/{org}/resourceGroups/{group}")
            }
            Self::Workspace { org, group, workspace } => format!(
                "/subscriptions/{org}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}"
            ),
        }
    }

    /// How people read it: "workspace detector", "resource group vision", ….
    pub fn label(&self) -> String {
        match self {
            Self::Root => "the whole instance".to_owned(),
            Self::Organization { org } => format!("organization {org}"),
            Self::ResourceGroup { group, .. } => format!("resource group {group}"),
            Self::Workspace { workspace, .. } => format!("workspace {workspace}"),
        }
    }
}

impl fmt::Display for ScopePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Root => f.write_str("/"),
            Self::Organization { org } => write!(f, "/organizations/{org}"),
            Self::ResourceGroup { org, group } => {
                write!(f, "/organizations/{org}/resourceGroups/{group}")
            }
            Self::Workspace { org, group, workspace } => {
                write!(f, "/organizations/{org}/resourceGroups/{group}/workspaces/{workspace}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_azure_form_reads_back_as_the_same_scope() {
        for text in [
            "/organizations/contoso",
            "/organizations/contoso/resourceGroups/vision",
            "/organizations/contoso/resourceGroups/vision/workspaces/detector",
        ] {
            let path = ScopePath::parse(text).unwrap();
            assert!(path.azure_form().starts_with("/subscriptions/contoso"));
            assert_eq!(ScopePath::parse(&path.azure_form()).unwrap(), path);
        }
    }

    fn ws() -> ScopePath {
        ScopePath::Workspace {
            org: "contoso".into(),
            group: "vision".into(),
            workspace: "detector".into(),
        }
    }

    #[test]
    fn atelier_and_azure_shapes_name_the_same_workspace() {
        let ours =
            ScopePath::parse("/organizations/contoso/resourceGroups/vision/workspaces/detector")
                .unwrap();
        let azure = ScopePath::parse(
            "/subscriptions/Contoso/resourceGroups/vision/providers/Microsoft.MachineLearningServices/workspaces/detector",
        )
        .unwrap();
        assert_eq!(ours, ws());
        assert_eq!(azure, ws());
        assert_eq!(
            ours.to_string(),
            "/organizations/contoso/resourceGroups/vision/workspaces/detector"
        );
    }

    #[test]
    fn shorter_scopes_parse_and_round_trip() {
        for text in ["/organizations/contoso", "/organizations/contoso/resourceGroups/vision", "/"]
        {
            assert_eq!(ScopePath::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(ScopePath::parse("").unwrap(), ScopePath::Root);
        let spaced = ScopePath::parse("/organizations/contoso/resourceGroups/vision /").unwrap();
        assert_eq!(spaced.to_string(), "/organizations/contoso/resourceGroups/vision");
    }

    #[test]
    fn malformed_scopes_are_refused() {
        for bad in [
            "organizations/contoso",
            "/organizations",
            "/teams/x",
            "/organizations//resourceGroups/x",
        ] {
            assert!(ScopePath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ancestors_cover_descendants() {
        let org = ScopePath::parse("/organizations/contoso").unwrap();
        let group = ScopePath::parse("/organizations/contoso/resourceGroups/VISION").unwrap();
        assert!(ScopePath::Root.covers(&ws()));
        assert!(org.covers(&ws()));
        assert!(group.covers(&ws()));
        assert!(ws().covers(&ws()));
        assert!(!ws().covers(&group));
        assert!(!ScopePath::parse("/organizations/fabrikam").unwrap().covers(&ws()));
    }
}
