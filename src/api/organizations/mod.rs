//! Organizations: the tenants.

mod create;
mod get;
mod list;
mod rename;

pub use create::{create_organization, CreateOrganization};
#[cfg(feature = "ssr")]
pub(crate) use get::resource_groups_of;
pub use get::{get_organization, GetOrganization};
#[cfg(feature = "ssr")]
pub(crate) use list::belonging;
pub use list::{list_organizations, ListOrganizations};
pub use rename::{rename_organization, RenameOrganization};

use serde::{Deserialize, Serialize};

use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationList {
    pub organizations: Vec<OrganizationSummary>,
    /// Whether the instance lets this person create organizations.
    pub may_create: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationView {
    pub slug: String,
    pub name: String,
    pub roles: Vec<String>,
    pub permitted: Vec<Action>,
    pub resource_groups: Vec<String>,
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const SLUG: &str = "slug";
}
