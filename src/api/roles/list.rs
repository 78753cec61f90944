use leptos::prelude::*;

use super::RolesView;
use crate::error::AppError;

/// The built-in roles and the organization's custom roles.
#[server(endpoint = "roles/list")]
pub async fn list_roles(organization: String) -> Result<RolesView, AppError> {
    use crate::authz::builtin::builtin_roles;
    use crate::authz::Action;
    use crate::server::db::role_definitions;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::RoleDefinitionsRead).await?;
    let custom = role_definitions::for_organization(&state.pool, org.target().id)
        .await
        .or_internal("listing roles")?;
    Ok(RolesView {
        organization_slug: org.target().slug.clone(),
        organization_name: org.target().name.clone(),
        roles: builtin_roles().iter().cloned().chain(custom).collect(),
        permitted: org.permitted_actions(),
    })
}
