use leptos::prelude::*;

use crate::error::AppError;

/// Gives the person with `email` (who has an account), or the organization's service principal
/// with that identity, `role` at `scope`.
#[server(endpoint = "access/grant")]
pub async fn grant_role(scope: String, email: String, role: String) -> Result<(), AppError> {
    use super::{change_error, fields, grantable_role, roles_assignable_at};
    use crate::authz::Action;
    use crate::domain::{Email, Invalid, ScopePath};
    use crate::server::db::{role_assignments, users};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsWrite).await?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let roles = roles_assignable_at(&state.pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, &role)?;
    let org = proof.target().organization().id;
    let person = users::find_in_organization(&state.pool, &email, org)
        .await
        .or_internal("finding a person")?;
    let Some(person) = person else {
        return Err(AppError::invalid_field(
            fields::EMAIL,
            Invalid::new("No Atelier account uses this address yet; ask them to sign up first."),
        ));
    };
    let actor = audit::actor(&user).await;
    role_assignments::add(&state.pool, &proof, &actor, person.id, &definition.name)
        .await
        .map_err(change_error)?;
    tracing::info!(user_id = user.id, grantee = person.id, role = %definition.name, "role granted");
    Ok(())
}
