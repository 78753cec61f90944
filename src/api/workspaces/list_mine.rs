use leptos::prelude::*;

use super::WorkspaceCard;
use crate::error::AppError;

/// Every workspace I may read, most recently active first.
#[server(endpoint = "workspaces/mine")]
pub async fn my_workspaces() -> Result<Vec<WorkspaceCard>, AppError> {
    use crate::authz::Action;
    use crate::server::db::workspaces;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let candidates = workspaces::listings_for_member(&state.pool, user.id)
        .await
        .or_internal("listing workspaces")?;
    let readable =
        authz::filter_permitted(&state.pool, &user, candidates, Action::WorkspacesRead).await?;
    Ok(readable.iter().map(WorkspaceCard::from_listing).collect())
}
