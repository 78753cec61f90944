use leptos::prelude::*;

use crate::error::AppError;

/// Gives `role` at `scope` to the organization's group called `group`: everyone in it holds
/// the role from their next request, and so does anyone put in it later. The same limits as a
/// grant to a person: a role the caller may give, ending when the caller's own authority does.
#[server(endpoint = "access/grant_group")]
pub async fn grant_role_to_group(
    scope: String,
    group: String,
    role: String,
) -> Result<(), AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    grant_group(&caller, &scope, &group, &role).await.map(|_| ())
}

/// Gives `role` at `scope` to the group called `group`; returns when the grant ends, if it is
/// time-boxed.
#[cfg(feature = "ssr")]
pub(crate) async fn grant_group(
    caller: &crate::server::authz::Caller,
    scope: &str,
    group: &str,
    role: &str,
) -> Result<Option<i64>, AppError> {
    use super::{change_error, fields};
    use crate::authz::Action;
    use crate::domain::ScopePath;
    use crate::server::authz::giving::{grant_ends, grantable_role, roles_assignable_at};
    use crate::server::db::groups;
    use crate::server::error::OrInternal;

    let pool = caller.pool();
    let path = ScopePath::parse(scope).map_err(|_| AppError::not_found())?;
    let proof = caller.scope(&path, Action::RoleAssignmentsWrite).await?;
    let group_id = groups::named(pool, proof.target().organization(), group)
        .await
        .or_internal("finding a group")?
        .ok_or_else(|| {
            AppError::invalid_field(
                fields::GROUP,
                crate::domain::Invalid::new("This organization has no group of that name."),
            )
        })?;
    let roles = roles_assignable_at(pool, &proof).await?;
    let definition = grantable_role(&proof, &roles, role, fields::ROLE)?;
    let expires_at = grant_ends(&proof, &definition, None);
    groups::grant(pool, &proof, &caller.actor, group_id, (definition.name.as_str(), expires_at))
        .await
        .map_err(change_error)?;
    let user_id = caller.user().id;
    tracing::info!(user_id, group_id, role = %definition.name, "role granted to a group");
    Ok(expires_at)
}
