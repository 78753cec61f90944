use leptos::prelude::*;

use super::SavedRole;
use crate::error::AppError;

/// Creates a custom role, or replaces the one named `original` (in any letter case). The
/// definition comes from `json` (seed 003's shape, or Azure's) when given, else from the form's
/// fields. At every scope where the role is assignable or already assigned, the caller must be
/// allowed to write role definitions and hold every action the role allows ("never more than
/// you hold", as for granting): otherwise whoever may edit roles could widen one they hold to
/// `*`. Returns the patterns that match no known action, and notes worth reading.
#[server(endpoint = "roles/save")]
pub async fn save_role(
    organization: String,
    #[server(default)] original: String,
    #[server(default)] name: String,
    #[server(default)] description: String,
    #[server(default)] actions: String,
    #[server(default)] not_actions: String,
    #[server(default)] assignable_scopes: String,
    #[server(default)] json: String,
) -> Result<SavedRole, AppError> {
    use super::{fields, lines};
    use crate::authz::role_json::parse_role_json;
    use crate::authz::RoleDefinition;
    use crate::server::authz::Caller;

    let caller = Caller::current().await?;
    let draft = if json.trim().is_empty() {
        RoleDefinition {
            name,
            is_custom: true,
            description,
            actions: lines(&actions),
            not_actions: lines(&not_actions),
            assignable_scopes: lines(&assignable_scopes),
        }
    } else {
        parse_role_json(&json).map_err(|(field, invalid)| {
            AppError::invalid_field(fields::for_role_field(field), invalid)
        })?
    };
    let original = Some(original.trim()).filter(|o| !o.is_empty());
    save(&caller, &organization, original, draft).await.map(|(_, saved)| saved)
}

/// Checks `draft` and saves it in `organization`, as a new role or in place of `original`;
/// returns the role as stored with what is worth saying about it.
#[cfg(feature = "ssr")]
pub(crate) async fn save(
    caller: &crate::server::authz::Caller,
    organization: &str,
    original: Option<&str>,
    draft: crate::authz::RoleDefinition,
) -> Result<(crate::authz::RoleDefinition, SavedRole), AppError> {
    use super::fields;
    use crate::authz::role_json::{notes, unmatched_patterns, validate};
    use crate::error::ErrorKind;
    use crate::server::db::role_definitions::{self, ChangeError};
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, crate::authz::Action::RoleDefinitionsWrite).await?;
    let problem =
        |(field, invalid)| AppError::invalid_field(fields::for_role_field(field), invalid);
    let role = validate(draft).map_err(problem)?;
    let pool = caller.pool();
    super::holding::require_at_assignable_scopes(pool, caller.user(), &org, &role).await?;
    if let Some(original) = original {
        super::holding::require_where_assigned(pool, caller.user(), &org, original, &role).await?;
    }
    match role_definitions::save(pool, &org, &caller.actor, original, &role).await {
        Ok(()) => {}
        Err(ChangeError::NameTaken) => {
            return Err(AppError::conflict(
                fields::NAME,
                "A custom role with this name exists here (names are compared ignoring letter case and look-alike forms).",
            ))
        }
        Err(ChangeError::NotFound) => return Err(AppError::not_found()),
        Err(ChangeError::Assigned(_)) => {
            return Err(AppError::new(ErrorKind::Conflict, "The role is in use."))
        }
        Err(ChangeError::Database(e)) => return Err(e).or_internal("saving a role"),
    }
    let mut unmatched = unmatched_patterns(&role.actions);
    unmatched.extend(unmatched_patterns(&role.not_actions));
    let saved = SavedRole { unmatched, notes: notes(&role) };
    Ok((role, saved))
}
