use leptos::prelude::*;

use crate::domain::WorkspacePath;
use crate::error::AppError;

/// Deletes one version of an environment.
#[server(endpoint = "environments/delete_version")]
pub async fn delete_environment_version(
    #[server(flatten)] path: WorkspacePath,
    environment: String,
    version: i64,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::environments;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::EnvironmentsDelete, Deleted::Excluded).await?;
    let deleted =
        environments::delete_version(&state.pool, &ws, &actor, environment.trim(), version)
            .await
            .or_internal("deleting an environment version")?;
    if deleted {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}
