use leptos::prelude::*;

use crate::error::AppError;

/// Deletes an empty resource group; one that still holds workspaces is refused with a count.
#[server(endpoint = "resource_groups/delete")]
pub async fn delete_resource_group(
    organization: String,
    resource_group: String,
) -> Result<(), AppError> {
    use super::change_error;
    use crate::authz::Action;
    use crate::server::db::resource_groups;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let group = authz::resource_group(
        &state.pool,
        &user,
        &organization,
        &resource_group,
        Action::ResourceGroupsDelete,
    )
    .await?;
    resource_groups::delete(&state.pool, &group, &audit::actor(&user).await)
        .await
        .map_err(change_error)?;
    leptos_axum::redirect(&format!("/organizations/{organization}"));
    Ok(())
}
