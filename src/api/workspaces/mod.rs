//! Workspaces: the top-level resource.

mod create;
mod creation_options;
mod delete;
mod frame;
mod get;
mod list_mine;
#[cfg(feature = "ssr")]
mod project_access;
mod purge;
mod restore;
mod setup_project;
mod update;

pub use create::{create_workspace, CreateWorkspace};
pub use creation_options::{creation_options, CreationOptions as CreationOptionsFn};
pub use delete::{delete_workspace, DeleteWorkspace};
pub use frame::{workspace_frame, WorkspaceFrame as WorkspaceFrameFn, WorkspaceFrameView};
pub use get::{get_workspace, GetWorkspace};
pub use list_mine::{my_workspaces, MyWorkspaces};
pub use purge::{purge_workspace, PurgeWorkspace};
pub use restore::{restore_workspace, RestoreWorkspace};
pub use setup_project::{set_up_project, SetUpProject};
pub use update::{update_workspace, UpdateWorkspace};

#[cfg(feature = "ssr")]
pub(crate) use create::{create, WorkspaceRequest};
#[cfg(feature = "ssr")]
pub(crate) use delete::delete;
#[cfg(feature = "ssr")]
pub(crate) use get::details;
#[cfg(feature = "ssr")]
pub(crate) use list_mine::readable;

use serde::{Deserialize, Serialize};

use crate::authz::Action;
use crate::domain::Environment;

/// A workspace as the home page, switcher and group pages list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceCard {
    pub organization_slug: String,
    pub organization_name: String,
    pub resource_group: String,
    pub name: String,
    pub display_name: String,
    pub environment: Environment,
    pub roles: Vec<String>,
    pub last_activity_at: i64,
}

impl WorkspaceCard {
    pub fn url(&self) -> String {
        workspace_url(&self.organization_slug, &self.resource_group, &self.name)
    }

    #[cfg(feature = "ssr")]
    pub(crate) fn from_listing(
        listing: &crate::server::authz::Authorized<crate::server::db::workspaces::WorkspaceListing>,
    ) -> Self {
        let w = listing.target();
        Self {
            organization_slug: w.scope.resource_group.organization.slug.clone(),
            organization_name: w.scope.resource_group.organization.name.clone(),
            resource_group: w.scope.resource_group.name.clone(),
            name: w.scope.name.clone(),
            display_name: w.display_name.clone(),
            environment: w.environment,
            roles: listing.role_names(),
            last_activity_at: w.last_activity_at,
        }
    }
}

/// The names that place a page inside a workspace: for breadcrumbs and links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceCrumbs {
    pub organization_slug: String,
    pub organization_name: String,
    pub resource_group: String,
    pub workspace: String,
}

impl WorkspaceCrumbs {
    #[cfg(feature = "ssr")]
    pub(crate) fn of(scope: &crate::server::db::scopes::WorkspaceScope) -> Self {
        Self {
            organization_slug: scope.resource_group.organization.slug.clone(),
            organization_name: scope.resource_group.organization.name.clone(),
            resource_group: scope.resource_group.name.clone(),
            workspace: scope.name.clone(),
        }
    }

    pub fn url(&self) -> String {
        self.path().url()
    }

    pub fn path(&self) -> crate::domain::WorkspacePath {
        crate::domain::WorkspacePath::new(
            &self.organization_slug,
            &self.resource_group,
            &self.workspace,
        )
    }
}

pub use crate::domain::workspace_url;

/// Everything the overview page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceView {
    pub card: WorkspaceCard,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub permitted: Vec<Action>,
    /// Kinds of asset the workspace holds, with how many of each.
    pub resource_counts: Vec<(String, i64)>,
    pub associated: Vec<AssociatedResource>,
    /// Where the MLflow client logs to this workspace.
    pub tracking_uri: String,
}

impl WorkspaceView {
    /// The scope path role assignments and definitions use.
    pub fn scope_path(&self) -> String {
        self.card.url()
    }

    pub fn may(&self, action: Action) -> bool {
        self.permitted.contains(&action)
    }
}

/// A resource the workspace relies on (seed 002, "Associated resources"), as Atelier provides
/// it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatedResource {
    pub kind: String,
    pub description: String,
    pub location: String,
}

/// Where a new workspace may go: the organizations and groups where I may create one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreationOptions {
    pub organizations: Vec<OrganizationChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationChoice {
    pub slug: String,
    pub name: String,
    /// Whether I may create a resource group here (and so a workspace in a new group).
    pub may_create_group: bool,
    /// The groups where I may create workspaces.
    pub groups: Vec<String>,
}

/// The `placement` field's value: `org/group` for an existing group, `org/` for a new one.
pub fn placement_value(organization: &str, group: Option<&str>) -> String {
    format!("{organization}/{}", group.unwrap_or(""))
}

pub mod fields {
    pub const PLACEMENT: &str = "placement";
    pub const NEW_RESOURCE_GROUP: &str = "new_resource_group";
    pub const NAME: &str = "name";
    pub const DISPLAY_NAME: &str = "display_name";
    pub const ENVIRONMENT: &str = "environment";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const CONFIRM_NAME: &str = "confirm_name";
    pub const PROJECT: &str = "project";
    pub const ORGANIZATION: &str = "organization";
    pub const DATA_SCIENTISTS: &str = "data_scientists";
    pub const WORKSPACE_ADMINS: &str = "workspace_admins";
    pub const THROUGH_GROUPS: &str = "through_groups";
}
