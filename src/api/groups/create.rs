use leptos::prelude::*;

use crate::error::AppError;

/// Creates a group in the organization, with no members yet; answers its name as kept.
#[server(endpoint = "groups/create")]
pub async fn create_group(
    organization: String,
    name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let (org, name) = create(&caller, &organization, &name, &description).await?;
    leptos_axum::redirect(&super::page_of(&org, &name));
    Ok(name)
}

/// Creates the group `name` in `organization`; answers the organization and the name as kept.
#[cfg(feature = "ssr")]
pub(crate) async fn create(
    caller: &crate::server::authz::Caller,
    organization: &str,
    name: &str,
    description: &str,
) -> Result<
    (crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>, String),
    AppError,
> {
    use super::{fields, group_error};
    use crate::authz::Action;
    use crate::domain::group_name::GroupName;
    use crate::domain::Description;
    use crate::server::db::groups;

    let org = caller.organization(organization, Action::GroupsWrite).await?;
    let name = GroupName::parse(name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let id =
        groups::create(caller.pool(), &org, &caller.actor, (name.as_str(), description.as_str()))
            .await
            .map_err(group_error)?;
    tracing::info!(user_id = caller.user().id, group_id = id, "group created");
    Ok((org, name.as_str().to_owned()))
}
