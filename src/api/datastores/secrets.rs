use leptos::prelude::*;

use super::DatastoreCredentials;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// A datastore's credentials, unsealed, for holders of `datastores/listsecrets/action`; each
/// read is recorded in the activity log.
#[server(endpoint = "datastores/secrets")]
pub async fn datastore_secrets(
    #[server(flatten)] path: WorkspacePath,
    datastore: String,
) -> Result<DatastoreCredentials, AppError> {
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datastores;
    use crate::server::error::OrInternal;

    let (state, ws, actor) =
        authz::caller_workspace(&path, Action::DatastoresListSecrets, Deleted::Excluded).await?;
    let (access_key_id, sealed) =
        datastores::credentials(&state.pool, &ws, &actor, datastore.trim())
            .await
            .or_internal("reading datastore credentials")?
            .ok_or_else(AppError::not_found)?;
    let secret_access_key = match sealed {
        Some(sealed) => state.sealer.open(&sealed).or_internal("unsealing a datastore secret")?,
        None => String::new(),
    };
    let credentials = DatastoreCredentials { access_key_id, secret_access_key };
    let kept_for = datastore.trim();
    crate::api::plain_form::keep_answer::<DatastoreSecrets>(kept_for, &credentials).await;
    Ok(credentials)
}
