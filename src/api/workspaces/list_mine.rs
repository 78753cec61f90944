use leptos::prelude::*;

use super::WorkspaceCard;
use crate::error::AppError;

/// Every workspace I may read, most recently active first.
#[server(endpoint = "workspaces/mine")]
pub async fn my_workspaces() -> Result<Vec<WorkspaceCard>, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    Ok(readable(&caller).await?.iter().map(WorkspaceCard::from_listing).collect())
}

/// The workspaces the caller may read (and its credential reaches), most recently active
/// first.
#[cfg(feature = "ssr")]
pub(crate) async fn readable(
    caller: &crate::server::authz::Caller,
) -> Result<
    Vec<crate::server::authz::Authorized<crate::server::db::workspaces::WorkspaceListing>>,
    AppError,
> {
    use crate::authz::Action;
    use crate::server::db::workspaces;
    use crate::server::error::OrInternal;

    let candidates = workspaces::listings_for_member(caller.pool(), caller.user().id)
        .await
        .or_internal("listing workspaces")?;
    caller.filter_permitted(candidates, Action::WorkspacesRead).await
}
