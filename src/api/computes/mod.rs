//! Compute targets: instances assigned to a person, clusters that scale, attached compute;
//! created, changed, started, stopped and deleted under the roles.

mod create;
mod delete;
mod get;
mod list;
mod restart;
mod start;
mod stop;
mod update;

pub use create::{create_compute, CreateCompute};
pub use delete::{delete_compute, DeleteCompute};
pub use get::{get_compute, GetCompute};
pub use list::{list_computes, ListComputes};
pub use restart::{restart_compute, RestartCompute};
pub use start::{start_compute, StartCompute};
pub use stop::{stop_compute, StopCompute};
pub use update::{update_compute, UpdateCompute};

use serde::{Deserialize, Serialize};

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::{ComputeKind, ComputeState};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeSummary {
    pub name: String,
    pub kind: ComputeKind,
    pub vm_size: String,
    pub min_nodes: i64,
    pub max_nodes: i64,
    /// Instances only; 0 = never.
    pub idle_shutdown_minutes: i64,
    /// The person an instance is assigned to; empty for other kinds.
    pub owner: String,
    pub state: ComputeState,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub state_changed_at: i64,
}

impl ComputeSummary {
    /// The node count as people read it: a range for clusters, one for an instance.
    pub fn nodes(&self) -> String {
        match self.kind {
            ComputeKind::Cluster => format!("{}–{}", self.min_nodes, self.max_nodes),
            ComputeKind::Instance => "1".to_owned(),
            ComputeKind::Attached => "—".to_owned(),
        }
    }
}

/// One page of a workspace's compute, in name order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputesPage {
    pub workspace: WorkspaceCrumbs,
    pub computes: Vec<ComputeSummary>,
    /// The value of `after` for the next page, when there is one.
    pub next_after: Option<String>,
    pub permitted: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeView {
    pub workspace: WorkspaceCrumbs,
    pub compute: ComputeSummary,
    /// Newest first; `None` when the person may not read the activity log.
    pub activity: Option<Vec<crate::api::item_activity::ItemEvent>>,
    pub permitted: Vec<Action>,
}

pub fn compute_url(workspace: &WorkspaceCrumbs, name: &str) -> String {
    format!("{}/compute/{name}", workspace.url())
}

pub mod fields {
    pub const NAME: &str = "name";
    pub const KIND: &str = "kind";
    pub const VM_SIZE: &str = "vm_size";
    pub const MIN_NODES: &str = "min_nodes";
    pub const MAX_NODES: &str = "max_nodes";
    pub const IDLE_SHUTDOWN: &str = "idle_shutdown_minutes";
    pub const OWNER: &str = "owner";
    pub const DESCRIPTION: &str = "description";
    pub const TAGS: &str = "tags";
    pub const CONFIRM_NAME: &str = "confirm_name";
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(record: crate::server::db::computes::ComputeRecord) -> ComputeSummary {
    ComputeSummary {
        name: record.name,
        kind: record.kind,
        vm_size: record.vm_size,
        min_nodes: record.min_nodes,
        max_nodes: record.max_nodes,
        idle_shutdown_minutes: record.idle_shutdown_minutes,
        owner: record.owner_name,
        state: record.state,
        description: record.description,
        tags: record.tags,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
        state_changed_at: record.state_changed_at,
    }
}

/// The sizing inputs that apply to `kind`, with errors beside the field they are about.
#[cfg(feature = "ssr")]
pub(crate) fn sizing(
    kind: ComputeKind,
    min_nodes: &str,
    max_nodes: &str,
    idle_shutdown: &str,
) -> Result<crate::domain::compute::ComputeSizing, crate::error::AppError> {
    use crate::domain::compute::{ComputeSizing, SizingField};
    ComputeSizing::parse(kind, min_nodes, max_nodes, idle_shutdown).map_err(|(field, invalid)| {
        let field = match field {
            SizingField::MinNodes => fields::MIN_NODES,
            SizingField::MaxNodes => fields::MAX_NODES,
            SizingField::IdleShutdown => fields::IDLE_SHUTDOWN,
        };
        crate::error::AppError::invalid_field(field, invalid)
    })
}

/// The message for a failed change, and the log entry for an unexpected one.
#[cfg(feature = "ssr")]
pub(crate) fn change_error(
    error: crate::server::db::computes::ChangeError,
) -> crate::error::AppError {
    use crate::error::{AppError, ErrorKind};
    use crate::server::db::computes::ChangeError;
    match error {
        ChangeError::NameTaken => {
            AppError::conflict(fields::NAME, "This workspace already has compute by that name.")
        }
        ChangeError::NotFound => AppError::not_found(),
        ChangeError::State(message) => AppError::new(ErrorKind::Conflict, message),
        ChangeError::Database(e) => crate::server::error::internal("changing compute", e),
    }
}

/// Starts, stops or restarts the compute named `compute` in the workspace at `path`, under the
/// action that power change needs.
#[cfg(feature = "ssr")]
pub(crate) async fn change_power(
    path: &crate::domain::WorkspacePath,
    compute: &str,
    power: crate::domain::compute::PowerAction,
) -> Result<(), crate::error::AppError> {
    use crate::domain::compute::PowerAction;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes;

    let action = match power {
        PowerAction::Start => Action::ComputesStart,
        PowerAction::Stop => Action::ComputesStop,
        PowerAction::Restart => Action::ComputesRestart,
    };
    let (state, ws, actor) = authz::caller_workspace(path, action, Deleted::Excluded).await?;
    computes::set_state(&state.pool, &ws, &actor, compute, power).await.map_err(change_error)?;
    Ok(())
}
