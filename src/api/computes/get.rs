use leptos::prelude::*;

use super::ComputeView;
use crate::error::AppError;

/// One compute target, with its recent activity for those who may read the activity log.
#[server(endpoint = "computes/get")]
pub async fn get_compute(
    organization: String,
    resource_group: String,
    workspace: String,
    compute: String,
) -> Result<ComputeView, AppError> {
    use super::ComputeActivity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::computes;
    use crate::server::error::OrInternal;

    const ACTIVITY: i64 = 20;
    let path = (organization.as_str(), resource_group.as_str(), workspace.as_str());
    let (state, ws, _) =
        authz::caller_workspace(path, Action::ComputesRead, Deleted::Excluded).await?;
    let record = computes::get(&state.pool, &ws, &compute)
        .await
        .or_internal("reading compute")?
        .ok_or_else(AppError::not_found)?;
    // The history names who did what: it is the activity log's, under the activity log's action.
    let activity = if ws.permits(Action::ActivityLogRead) {
        let events = computes::activity(&state.pool, &ws, &record.name, ACTIVITY)
            .await
            .or_internal("reading compute activity")?;
        Some(
            events
                .into_iter()
                .map(|e| ComputeActivity {
                    at: e.created_at,
                    actor: e.actor_name,
                    summary: describe(&e.action, &e.details),
                })
                .collect(),
        )
    } else {
        None
    };
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
        Some(Action::ComputesWrite) if details["created"] == true => "Created".to_owned(),
        Some(Action::ComputesWrite) => "Settings changed".to_owned(),
        Some(Action::ComputesStart) => "Started".to_owned(),
        Some(Action::ComputesStop) => "Stopped".to_owned(),
        Some(Action::ComputesRestart) => "Restarted".to_owned(),
        Some(Action::ComputesDelete) => "Deleted".to_owned(),
        Some(other) => other.description().to_owned(),
        None => "Changed".to_owned(),
    }
}
