use leptos::prelude::*;

use crate::error::AppError;

/// Deletes a custom role; refused, with the list of its holders, while anyone holds it.
#[server(endpoint = "roles/delete")]
pub async fn delete_role(organization: String, name: String) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    delete(&caller, &organization, &name).await
}

/// Deletes the custom role `name` of `organization`, unless someone holds it.
#[cfg(feature = "ssr")]
pub(crate) async fn delete(
    caller: &crate::server::authz::Caller,
    organization: &str,
    name: &str,
) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::error::ErrorKind;
    use crate::server::db::role_definitions::{self, ChangeError};
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::RoleDefinitionsDelete).await?;
    match role_definitions::delete(caller.pool(), &org, &caller.actor, name).await {
        Ok(()) => Ok(()),
        Err(ChangeError::Assigned(holders)) => Err(AppError::new(
            ErrorKind::Conflict,
            format!(
                "The role {name} is still assigned: {}. Remove those assignments first.",
                holders.join("; ")
            ),
        )),
        Err(ChangeError::NotFound) => Err(AppError::not_found()),
        Err(ChangeError::NameTaken) => Err(AppError::not_found()),
        Err(ChangeError::Database(e)) => Err(e).or_internal("deleting a role"),
    }
}
