use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "resource_groups/create")]
pub async fn create_resource_group(organization: String, name: String) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let group = create(&caller, &organization, &name).await?;
    leptos_axum::redirect(&group.path());
    Ok(())
}

/// Creates the resource group `name` in `organization`.
#[cfg(feature = "ssr")]
pub(crate) async fn create(
    caller: &crate::server::authz::Caller,
    organization: &str,
    name: &str,
) -> Result<crate::server::db::scopes::ResourceGroupScope, AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::ResourceGroupName;
    use crate::server::db::resource_groups;

    let org = caller.organization(organization, Action::ResourceGroupsWrite).await?;
    let name =
        ResourceGroupName::parse(name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    resource_groups::create(caller.pool(), &org, &caller.actor, &name).await.map_err(change_error)
}
