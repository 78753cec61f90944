// One argument per form field: the no-JavaScript form posts them as they are.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Changes a compute target's description, tags, and the node counts (clusters) or idle
/// shutdown (instances) that apply to its kind.
#[server(endpoint = "computes/update")]
pub async fn update_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
    #[server(default)] min_nodes: String,
    #[server(default)] max_nodes: String,
    #[server(default)] idle_shutdown_minutes: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, fields, sizing};
    use crate::authz::Action;
    use crate::domain::{Description, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes::{self, ComputeSettings};
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ComputesWrite, Deleted::Excluded).await?;
    // The kind decides which inputs apply; it never changes, so reading it first is safe.
    let kind = computes::get(&state.pool, &ws, &compute)
        .await
        .or_internal("reading compute")?
        .ok_or_else(AppError::not_found)?
        .kind;
    let sizing = sizing(kind, &min_nodes, &max_nodes, &idle_shutdown_minutes)?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let settings = ComputeSettings { sizing, description: &description, tags: &tags };
    computes::update(&state.pool, &ws, &actor, &compute, &settings).await.map_err(change_error)
}
