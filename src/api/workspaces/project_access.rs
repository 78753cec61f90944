//! The project template's presets: who the data scientists and workspace admins are, turned
//! into the grants that come with the new workspaces.

use crate::authz::presets::{data_scientist_role_for, workspace_admin, WORKSPACE_ADMIN};
use crate::authz::{Action, RoleDefinition};
use crate::domain::{Email, Environment, Invalid};
use crate::error::{AppError, ErrorKind};
use crate::server::authz::Authorized;
use crate::server::db::scopes::OrganizationScope;
use crate::server::db::users;
use crate::server::db::Pool;
use crate::server::error::OrInternal;

/// The people (or `organization_id`'s service principals) named in a field, one or more
/// addresses separated by commas, spaces or lines.
async fn people(
    pool: &Pool,
    organization_id: i64,
    field: &'static str,
    text: &str,
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for address in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|a| !a.is_empty()) {
        let email = Email::parse(address).map_err(|e| AppError::invalid_field(field, e))?;
        let user = users::find_in_organization(pool, &email, organization_id)
            .await
            .or_internal("finding a person")?;
        let user = user.ok_or_else(|| {
            AppError::invalid_field(
                field,
                Invalid::new(format!("No Atelier account uses {email} yet.")),
            )
        })?;
        if !ids.contains(&user.id) {
            ids.push(user.id);
        }
    }
    Ok(ids)
}

/// The role to create and the grants to make, in workspace order `environments`.
pub async fn presets(
    pool: &Pool,
    org: &Authorized<OrganizationScope>,
    environments: &[Environment],
    data_scientists: &str,
    workspace_admins: &str,
) -> Result<(Option<RoleDefinition>, Vec<(i64, String, Option<usize>)>), AppError> {
    use super::fields;
    let org_id = org.target().id;
    let scientists = people(pool, org_id, fields::DATA_SCIENTISTS, data_scientists).await?;
    let admins = people(pool, org_id, fields::WORKSPACE_ADMINS, workspace_admins).await?;
    if scientists.is_empty() && admins.is_empty() {
        return Ok((None, Vec::new()));
    }
    if !org.permits(Action::RoleAssignmentsWrite)
        || (!admins.is_empty() && !org.permits(Action::RoleDefinitionsWrite))
    {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Your role in this organization does not allow giving others access; leave the people fields empty.",
        ));
    }
    let mut grants = Vec::new();
    for &person in &scientists {
        for (i, &environment) in environments.iter().enumerate() {
            grants.push((person, data_scientist_role_for(environment).to_owned(), Some(i)));
        }
    }
    for &person in &admins {
        grants.push((person, WORKSPACE_ADMIN.to_owned(), None));
    }
    let role = (!admins.is_empty()).then(|| workspace_admin(&org.target().slug));
    Ok((role, grants))
}
