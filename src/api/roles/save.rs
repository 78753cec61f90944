use leptos::prelude::*;

use crate::error::AppError;

/// Creates a custom role, or replaces the one named `original`. The definition comes from
/// `json` (seed 003's shape, or Azure's) when given, else from the form's fields. The caller
/// must be allowed to write role definitions at every scope the role is assignable at. Returns
/// the patterns that match no known action, as warnings.
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
) -> Result<Vec<String>, AppError> {
    use super::{fields, lines};
    use crate::authz::role_json::{parse_role_json, unmatched_patterns, validate};
    use crate::authz::{Action, RoleDefinition};
    use crate::domain::{Invalid, ScopePath};
    use crate::error::ErrorKind;
    use crate::server::db::role_definitions::{self, ChangeError};
    use crate::server::{audit, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::RoleDefinitionsWrite)
        .await?;
    let problem =
        |(field, invalid)| AppError::invalid_field(fields::for_role_field(field), invalid);
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
        parse_role_json(&json).map_err(problem)?
    };
    let role = validate(draft).map_err(problem)?;
    for scope in &role.assignable_scopes {
        let path = ScopePath::parse(scope)
            .map_err(|e| AppError::invalid_field(fields::ASSIGNABLE_SCOPES, e))?;
        let outside = match &path {
            ScopePath::Organization { org: o }
            | ScopePath::ResourceGroup { org: o, .. }
            | ScopePath::Workspace { org: o, .. } => *o != org.target().slug,
            ScopePath::Root => true,
        };
        if outside {
            return Err(AppError::invalid_field(
                fields::ASSIGNABLE_SCOPES,
                Invalid::new(format!("{scope} is outside this organization.")),
            ));
        }
        authz::scope(&state.pool, &user, &path, Action::RoleDefinitionsWrite).await.map_err(
            |e| {
                AppError::invalid_field(
                    fields::ASSIGNABLE_SCOPES,
                    Invalid::new(format!(
                        "You may not create roles at {scope} ({}).",
                        e.message.trim_end_matches('.')
                    )),
                )
            },
        )?;
    }
    let original = Some(original.trim()).filter(|o| !o.is_empty());
    let actor = audit::actor(&user).await;
    match role_definitions::save(&state.pool, &org, &actor, original, &role).await {
        Ok(()) => {}
        Err(ChangeError::NameTaken) => {
            return Err(AppError::conflict(
                fields::NAME,
                "A custom role with this name exists here.",
            ))
        }
        Err(ChangeError::NotFound) => return Err(AppError::not_found()),
        Err(ChangeError::Assigned(_)) => {
            return Err(AppError::new(ErrorKind::Conflict, "The role is in use."))
        }
        Err(ChangeError::Database(e)) => return Err(e).or_internal("saving a role"),
    }
    let mut warnings = unmatched_patterns(&role.actions);
    warnings.extend(unmatched_patterns(&role.not_actions));
    Ok(warnings)
}
