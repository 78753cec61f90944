use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a compute target, after its name is typed to confirm.
#[server(endpoint = "computes/delete")]
pub async fn delete_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
    confirm_name: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::ComputesDelete, Deleted::Excluded).await?;
    if !confirm_name.trim().eq_ignore_ascii_case(compute.trim()) {
        return Err(AppError::invalid_field(
            fields::CONFIRM_NAME,
            Invalid::new("Type the compute's name to confirm."),
        ));
    }
    computes::delete(&state.pool, &ws, &actor, &compute).await.map_err(change_error)?;
    leptos_axum::redirect(&format!("{}/compute", WorkspaceCrumbs::of(ws.target()).url()));
    Ok(())
}
