use leptos::prelude::*;

use crate::error::AppError;

/// Creates a group in the organization, with no members yet; answers its name as kept.
#[server(endpoint = "groups/create")]
pub async fn create_group(
    organization: String,
    name: String,
    #[server(default)] description: String,
) -> Result<String, AppError> {
    use super::{fields, group_error};
    use crate::authz::Action;
    use crate::domain::group_name::GroupName;
    use crate::domain::Description;
    use crate::server::db::groups;
    use crate::server::{audit, auth, authz};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::GroupsWrite).await?;
    let name = GroupName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let description = Description::parse(&description)
        .map_err(|e| AppError::invalid_field(fields::DESCRIPTION, e))?;
    let actor = audit::actor(&user).await;
    let id = groups::create(&state.pool, &org, &actor, (name.as_str(), description.as_str()))
        .await
        .map_err(group_error)?;
    tracing::info!(user_id = user.id, group_id = id, "group created");
    leptos_axum::redirect(&super::page_of(&org, name.as_str()));
    Ok(name.as_str().to_owned())
}
