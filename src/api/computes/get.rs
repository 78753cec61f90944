use leptos::prelude::*;

use super::ComputeView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One compute target, with its recent activity for those who may read the activity log.
#[server(endpoint = "computes/get")]
pub async fn get_compute(
    #[server(flatten)] path: WorkspacePath,
    compute: String,
) -> Result<ComputeView, AppError> {
    use crate::api::item_activity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::ComputesRead, Deleted::Excluded).await?;
    let record = computes::get(&state.pool, &ws, &compute)
        .await
        .or_internal("reading compute")?
        .ok_or_else(AppError::not_found)?;
    let actions: Vec<Action> =
        Action::ALL.iter().copied().filter(|a| a.as_str().contains("/computes/")).collect();
    let activity =
        item_activity::recent(&state.pool, &ws, &actions, &record.name, describe).await?;
    Ok(ComputeView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        compute: super::summary(record),
        activity,
        permitted: ws.permitted_actions(),
    })
}

/// An audit event about compute in a few words.
#[cfg(feature = "ssr")]
fn describe(action: &str, details: &str) -> String {
    use crate::authz::Action;
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let action = Action::ALL.iter().copied().find(|a| a.as_str().eq_ignore_ascii_case(action));
    match action {
        Some(Action::ComputesWrite) if details["created"] == true => {
            "created the compute".to_owned()
        }
        Some(Action::ComputesWrite) => "changed its settings".to_owned(),
        Some(Action::ComputesStart) => "started it".to_owned(),
        Some(Action::ComputesStop) => "stopped it".to_owned(),
        Some(Action::ComputesRestart) => "restarted it".to_owned(),
        Some(Action::ComputesDelete) => "deleted the compute".to_owned(),
        Some(other) => other.description().to_lowercase(),
        None => "changed it".to_owned(),
    }
}
