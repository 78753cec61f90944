use leptos::prelude::*;

use super::EnvironmentView;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One environment's versions, newest first.
#[server(endpoint = "environments/get")]
pub async fn get_environment(
    #[server(flatten)] path: WorkspacePath,
    environment: String,
) -> Result<EnvironmentView, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::environments;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::EnvironmentsRead, Deleted::Excluded).await?;
    let versions = environments::versions(&state.pool, &ws, environment.trim())
        .await
        .or_internal("reading an environment")?;
    if versions.is_empty() {
        return Err(AppError::not_found());
    }
    let actions = [Action::EnvironmentsWrite, Action::EnvironmentsDelete];
    let activity = crate::api::item_activity::recent(
        &state.pool,
        &ws,
        &actions,
        &versions[0].name,
        super::describe_event,
    )
    .await?;
    Ok(EnvironmentView {
        workspace: WorkspaceCrumbs::of(ws.target()),
        activity,
        versions: versions.into_iter().map(super::version).collect(),
        permitted: ws.permitted_actions(),
    })
}
