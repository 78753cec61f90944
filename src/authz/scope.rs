//! Scopes by id: an assignment at a scope applies to it and everything below it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScopeKind {
    Organization,
    ResourceGroup,
    Workspace,
}

impl ScopeKind {
    /// How the kind is stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organization => "organization",
            Self::ResourceGroup => "resource_group",
            Self::Workspace => "workspace",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "organization" => Some(Self::Organization),
            "resource_group" => Some(Self::ResourceGroup),
            "workspace" => Some(Self::Workspace),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Organization => "organization",
            Self::ResourceGroup => "resource group",
            Self::Workspace => "workspace",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScopeRef {
    pub kind: ScopeKind,
    pub id: i64,
}

impl ScopeRef {
    pub fn organization(id: i64) -> Self {
        Self { kind: ScopeKind::Organization, id }
    }

    pub fn resource_group(id: i64) -> Self {
        Self { kind: ScopeKind::ResourceGroup, id }
    }

    pub fn workspace(id: i64) -> Self {
        Self { kind: ScopeKind::Workspace, id }
    }
}
