use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "organizations/rename")]
pub async fn rename_organization(organization: String, name: String) -> Result<(), AppError> {
    use super::fields;
    use crate::authz::Action;
    use crate::domain::OrganizationName;
    use crate::server::db::organizations;
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::OrganizationsWrite).await?;
    let name =
        OrganizationName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    organizations::rename(&state.pool, &org, &audit::actor(&user).await, &name)
        .await
        .or_internal("renaming an organization")?;
    Ok(())
}
