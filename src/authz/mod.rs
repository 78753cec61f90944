//! Authorization in Azure RBAC terms, as pure code shared by server and browser: actions,
//! pattern matching, role definitions, and the decision. The server always decides (see
//! `server::authz`); the browser uses the same code only to hide what a person cannot do.

mod action;
pub mod builtin;
mod decision;
mod pattern;
pub mod presets;
mod role;
pub mod role_json;
mod scope;

pub use action::Action;
pub use decision::{decide, explain, permitted_until, Explanation, Grant};
pub use pattern::matches;
pub use role::RoleDefinition;
pub use scope::{ScopeKind, ScopeRef};
