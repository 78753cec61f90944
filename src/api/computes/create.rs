// One argument per form field: the no-JavaScript form posts them as they are.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Creates a compute target and opens it. An instance is assigned to `owner` (an email; the
/// creator when empty), who must have access to the workspace's compute.
#[server(endpoint = "computes/create")]
pub async fn create_compute(
    #[server(flatten)] path: WorkspacePath,
    name: String,
    kind: String,
    #[server(default)] vm_size: String,
    #[server(default)] min_nodes: String,
    #[server(default)] max_nodes: String,
    #[server(default)] idle_shutdown_minutes: String,
    #[server(default)] owner: String,
    #[server(default)] description: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use super::{change_error, compute_url, fields, sizing};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::compute::{parse_vm_size, DEFAULT_VM_SIZE};
    use crate::domain::{ComputeKind, ComputeName, Description, Email, Invalid, Tags};
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes::{self, ComputeOwner, NewCompute};
    use crate::server::db::users;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ComputesWrite, Deleted::Excluded).await?;
    let name = ComputeName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let kind = ComputeKind::parse(&kind).map_err(|e| AppError::invalid_field(fields::KIND, e))?;
    let vm_size = match vm_size.trim() {
        "" => DEFAULT_VM_SIZE,
        size => size,
    };
    let vm_size =
        parse_vm_size(vm_size).map_err(|e| AppError::invalid_field(fields::VM_SIZE, e))?;
    let sizing = sizing(kind, &min_nodes, &max_nodes, &idle_shutdown_minutes)?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let tags = Tags::parse(&tags).map_err(|e| AppError::invalid_field(fields::TAGS, e))?;
    let owner = match (kind, owner.trim()) {
        (ComputeKind::Instance, "") => {
            Some(ComputeOwner { user_id: ws.user_id(), name: actor.name.clone() })
        }
        (ComputeKind::Instance, email) => {
            let email =
                Email::parse(email).map_err(|e| AppError::invalid_field(fields::OWNER, e))?;
            // One answer for "no account" and "no access", so the form reveals no accounts.
            let refused = || {
                AppError::invalid_field(
                    fields::OWNER,
                    Invalid::new("No one with access to this workspace's compute has this email."),
                )
            };
            let person = users::find_by_email(&state.pool, &email)
                .await
                .or_internal("finding a person")?
                .ok_or_else(refused)?;
            if !authz::person_permits(&state.pool, person.id, ws.target(), Action::ComputesRead)
                .await?
            {
                return Err(refused());
            }
            Some(ComputeOwner { user_id: person.id, name: person.display_name })
        }
        _ => None,
    };
    let new = NewCompute {
        name: &name,
        kind,
        vm_size,
        sizing,
        owner,
        description: &description,
        tags: &tags,
    };
    computes::create(&state.pool, &ws, &actor, &new).await.map_err(change_error)?;
    leptos_axum::redirect(&compute_url(&WorkspaceCrumbs::of(ws.target()), name.as_str()));
    Ok(())
}
