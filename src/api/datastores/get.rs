use leptos::prelude::*;

use super::DatastoreDetail;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// One datastore with, for those who may read the activity log, its latest events (who
/// registered it, who read its credentials).
#[server(endpoint = "datastores/get")]
pub async fn get_datastore(
    #[server(flatten)] path: WorkspacePath,
    datastore: String,
) -> Result<DatastoreDetail, AppError> {
    use crate::api::item_activity;
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datastores;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::DatastoresRead, Deleted::Excluded).await?;
    let record = datastores::get(&state.pool, &ws, datastore.trim())
        .await
        .or_internal("reading a datastore")?
        .ok_or_else(AppError::not_found)?;
    let actions =
        [Action::DatastoresWrite, Action::DatastoresDelete, Action::DatastoresListSecrets];
    let activity =
        item_activity::recent(&state.pool, &ws, &actions, &record.name, super::describe_event)
            .await?;
    Ok(DatastoreDetail {
        workspace: WorkspaceCrumbs::of(ws.target()),
        datastore: super::view(record),
        activity,
        permitted: ws.permitted_actions(),
    })
}
