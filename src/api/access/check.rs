use leptos::prelude::*;

use super::CheckView;
use crate::error::AppError;

/// Every action the member with `email` (a person holding a role in the organization, or one of
/// its service principals) may and may not perform at `scope`, and why: the assignment and
/// pattern that grants it, or the NotActions pattern that takes it back. Any other address gets
/// the same answer, whether or not it has an account on the instance.
#[server(endpoint = "access/check")]
pub async fn check_access(scope: String, email: String) -> Result<CheckView, AppError> {
    use super::{fields, ActionCheck};
    use crate::authz::{explain, Action, Explanation};
    use crate::domain::{Email, Invalid, ScopePath};
    use crate::server::db::members;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let path = ScopePath::parse(&scope).map_err(|_| AppError::not_found())?;
    let proof = authz::scope(&state.pool, &user, &path, Action::RoleAssignmentsRead).await?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid_field(fields::EMAIL, e))?;
    let org = proof.target().organization().id;
    let person = members::member_by_email(&state.pool, org, &email)
        .await
        .or_internal("finding a member")?
        .ok_or_else(|| {
            AppError::invalid_field(
                fields::EMAIL,
                Invalid::new("Choose someone in this organization from the list."),
            )
        })?;
    let roles = authz::roles_at(&state.pool, person.user_id, proof.target()).await?;
    let grants = authz::grants(&roles);
    let chain = proof.target().chain_paths();
    let scope_of =
        |r| chain.iter().find(|(s, _)| *s == r).map(|(_, p)| p.to_string()).unwrap_or_default();
    // " via Data scientists" when the role at that scope comes only through a group.
    let via = |name: &str, scope| {
        let mut holding = roles.iter().filter(|h| h.role.name == name && h.scope == scope);
        match holding.clone().find_map(|h| h.via_group.as_deref()) {
            Some(group) if holding.all(|h| h.via_group.is_some()) => format!(" via {group}"),
            _ => String::new(),
        }
    };
    Ok(CheckView {
        person: format!("{} <{}>", person.display_name, person.email),
        service_principal: person.service_principal,
        roles: roles
            .iter()
            .map(|held| {
                let via = held.via_group.as_deref().map(|g| format!(" via {g}"));
                format!("{} at {}{}", held.role.name, scope_of(held.scope), via.unwrap_or_default())
            })
            .collect(),
        checks: Action::ALL
            .iter()
            .map(|&action| {
                let (allowed, reason) = match explain(&grants, action) {
                    Explanation::Granted { role, scope, pattern } => {
                        let (at, via) = (scope_of(scope), via(&role, scope));
                        (true, format!("{role} at {at}{via} grants it ({pattern})"))
                    }
                    Explanation::Removed { role, pattern } => {
                        (false, format!("{role} takes it back (NotActions {pattern})"))
                    }
                    Explanation::NotGranted => (false, "No role here grants it".to_owned()),
                };
                ActionCheck {
                    action: action.as_str().to_owned(),
                    description: action.description().to_owned(),
                    allowed,
                    reason,
                }
            })
            .collect(),
    })
}
