use leptos::prelude::*;

use super::CreatedToken;
use crate::error::AppError;

/// Creates a token acting for me, limited to `reach` (everything, an organization's path or a
/// workspace's) and, when `read_only` is given, to reading. The secret is answered once.
#[server(endpoint = "tokens/create")]
pub async fn create_token(
    name: String,
    reach: String,
    #[server(default)] read_only: Option<String>,
    #[server(default)] ends_on: String,
) -> Result<CreatedToken, AppError> {
    use super::{fields, EVERYTHING};
    use crate::authz::Action;
    use crate::domain::access_token::{parse_end_date, TokenName};
    use crate::domain::ScopePath;
    use crate::server::db::access_tokens::{self, NewToken, StoredReach};
    use crate::server::{access_tokens as secrets, auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let now = state.clock.now();
    let name = TokenName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let expires_at =
        parse_end_date(&ends_on, now).map_err(|e| AppError::invalid_field(fields::ENDS_ON, e))?;
    // The reach must be somewhere I can see; anything else is "not found" beside the field.
    let not_found = || {
        AppError::invalid_field(
            fields::REACH,
            crate::domain::Invalid::new("Choose an organization or workspace you belong to."),
        )
    };
    let reach = if reach.trim() == EVERYTHING {
        StoredReach { organization_id: None, workspace_id: None }
    } else {
        match ScopePath::parse(&reach).map_err(|_| not_found())? {
            ScopePath::Organization { org } => {
                let org = authz::organization(&state.pool, &user, &org, Action::OrganizationsRead)
                    .await
                    .map_err(|_| not_found())?;
                StoredReach { organization_id: Some(org.target().id), workspace_id: None }
            }
            ScopePath::Workspace { org, group, workspace } => {
                let ws = authz::workspace(
                    &state.pool,
                    &user,
                    (&org, &group, &workspace),
                    Action::WorkspacesRead,
                    authz::Deleted::Excluded,
                )
                .await
                .map_err(|_| not_found())?;
                let scope = ws.target();
                StoredReach {
                    organization_id: Some(scope.resource_group.organization.id),
                    workspace_id: Some(scope.id),
                }
            }
            ScopePath::Root | ScopePath::ResourceGroup { .. } => return Err(not_found()),
        }
    };
    let secret = secrets::new_secret().or_internal("making a token")?;
    let id = access_tokens::create(
        &state.pool,
        &NewToken {
            user_id: user.id,
            created_by: user.id,
            name: name.as_str(),
            token_hash: &secret.hash,
            hint: &secret.hint,
            reach,
            read_only: read_only.is_some(),
            created_at: now,
            expires_at,
        },
    )
    .await
    .or_internal("storing a token")?;
    tracing::info!(user_id = user.id, token_id = id, "access token created");
    Ok(CreatedToken { name: name.as_str().to_owned(), secret: secret.secret })
}
