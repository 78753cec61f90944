//! Resource groups inside an organization.

mod create;
mod delete;
mod get;
mod rename;

pub use create::{create_resource_group, CreateResourceGroup};
pub use delete::{delete_resource_group, DeleteResourceGroup};
pub use get::{get_resource_group, GetResourceGroup};
pub use rename::{rename_resource_group, RenameResourceGroup};

#[cfg(feature = "ssr")]
pub(crate) use create::create;
#[cfg(feature = "ssr")]
pub(crate) use delete::delete;

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCard;
use crate::authz::Action;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedWorkspace {
    pub name: String,
    pub display_name: String,
    /// When the workspace will be purged for good (epoch seconds).
    pub purge_after: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroupView {
    pub organization_slug: String,
    pub organization_name: String,
    pub name: String,
    pub roles: Vec<String>,
    pub permitted: Vec<Action>,
    pub workspaces: Vec<WorkspaceCard>,
    pub deleted_workspaces: Vec<DeletedWorkspace>,
}

pub mod fields {
    pub const NAME: &str = "name";
}

#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::resource_groups::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::resource_groups::ChangeError;
    use crate::server::error::internal;
    match error {
        ChangeError::NameTaken | ChangeError::WorkspaceNameTaken => AppError::conflict(
            fields::NAME,
            "A resource group with this name already exists in the organization (names ignore letter case).",
        ),
        ChangeError::NotEmpty(count) => AppError::new(
            ErrorKind::Conflict,
            format!(
                "This resource group still holds {count} workspace{}. Delete and purge them first.",
                if count == 1 { "" } else { "s" }
            ),
        ),
        ChangeError::Database(e) => internal("changing a resource group", e),
        ChangeError::Assignment(e) => internal("granting the creator's role", e),
        ChangeError::Group(e) => crate::api::groups::group_error(e),
    }
}
