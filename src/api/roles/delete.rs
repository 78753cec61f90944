use leptos::prelude::*;

use crate::error::AppError;

/// Deletes a custom role; refused, with the list of its holders, while anyone holds it.
#[server(endpoint = "roles/delete")]
pub async fn delete_role(organization: String, name: String) -> Result<(), AppError> {
    use crate::authz::Action;
    use crate::error::ErrorKind;
    use crate::server::db::role_definitions::{self, ChangeError};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::RoleDefinitionsDelete)
        .await?;
    let actor = audit::actor(&user).await;
    match role_definitions::delete(&state.pool, &org, &actor, &name).await {
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
