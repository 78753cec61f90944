use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "resource_groups/create")]
pub async fn create_resource_group(organization: String, name: String) -> Result<(), AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::ResourceGroupName;
    use crate::server::db::resource_groups;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::ResourceGroupsWrite).await?;
    let name =
        ResourceGroupName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let group = resource_groups::create(&state.pool, &org, &audit::actor(&user).await, &name)
        .await
        .map_err(change_error)?;
    leptos_axum::redirect(&format!(
        "/organizations/{}/resourceGroups/{}",
        org.target().slug,
        group.name
    ));
    Ok(())
}
