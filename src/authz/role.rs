//! Role definitions in Azure's shape (seed 003): a role permits an action when one of its
//! `Actions` patterns matches it and none of its `NotActions` patterns does.

use serde::{Deserialize, Serialize};

use super::pattern::matches;
use super::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDefinition {
    pub name: String,
    pub is_custom: bool,
    pub description: String,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub assignable_scopes: Vec<String>,
}

impl RoleDefinition {
    pub fn permits(&self, action: Action) -> bool {
        let action = action.as_str();
        self.actions.iter().any(|p| matches(p, action))
            && !self.not_actions.iter().any(|p| matches(p, action))
    }
}
