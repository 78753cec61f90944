use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "resource_groups/rename")]
pub async fn rename_resource_group(
    organization: String,
    resource_group: String,
    name: String,
) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::ResourceGroupName;
    use crate::server::db::resource_groups;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let group = authz::resource_group(
        &state.pool,
        &user,
        &organization,
        &resource_group,
        Action::ResourceGroupsWrite,
    )
    .await?;
    let name =
        ResourceGroupName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    resource_groups::rename(&state.pool, &group, &audit::actor(&user).await, &name)
        .await
        .map_err(change_error)?;
    leptos_axum::redirect(&format!(
        "/organizations/{organization}/resourceGroups/{}",
        name.as_str()
    ));
    Ok(())
}
