use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes a datastore that is not the default and holds no run outputs.
#[server(endpoint = "datastores/delete")]
pub async fn delete_datastore(
    #[server(flatten)] path: WorkspacePath,
    datastore: String,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datastores;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatastoresDelete, Deleted::Excluded).await?;
    datastores::delete(&state.pool, &ws, &actor, datastore.trim())
        .await
        .map_err(super::change_error)
}
