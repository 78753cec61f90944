use leptos::prelude::*;

use super::DatastoresPage;
use crate::domain::WorkspacePath;
use crate::error::AppError;

/// The workspace's datastores, the default first; optionally searched (name, description,
/// bucket).
#[server(endpoint = "datastores/list")]
pub async fn list_datastores(
    #[server(flatten)] path: WorkspacePath,
    #[server(default)] search: String,
) -> Result<DatastoresPage, AppError> {
    use crate::api::workspaces::WorkspaceCrumbs;
    use crate::authz::Action;
    use crate::server::authz::{self, Deleted};
    use crate::server::db::datastores;
    use crate::server::error::OrInternal;

    let (state, ws, _) =
        authz::caller_workspace(&path, Action::DatastoresRead, Deleted::Excluded).await?;
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    let records =
        datastores::list(&state.pool, &ws, search).await.or_internal("listing datastores")?;
    Ok(DatastoresPage {
        workspace: WorkspaceCrumbs::of(ws.target()),
        datastores: records.into_iter().map(super::view).collect(),
        permitted: ws.permitted_actions(),
    })
}
