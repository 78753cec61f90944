use leptos::prelude::*;

use crate::api::tokens::CreatedToken;
use crate::error::AppError;

/// Creates a token acting for a service principal, limited to `reach` (its organization or one
/// of its workspaces) and, with `read_only`, to reading. The secret is answered once.
#[server(endpoint = "service_principals/create_token")]
pub async fn create_service_principal_token(
    organization: String,
    service_principal: String,
    name: String,
    reach: String,
    #[server(default)] read_only: Option<String>,
    #[server(default)] ends_on: String,
) -> Result<CreatedToken, AppError> {
    let caller = crate::server::authz::Caller::current().await?;
    let read_only = read_only.is_some();
    let new = (name.as_str(), reach.as_str(), read_only, ends_on.as_str());
    let answer = create_token(&caller, &organization, &service_principal, new).await?;
    let kept_for = service_principal.trim();
    crate::api::plain_form::keep_answer::<CreateServicePrincipalToken>(kept_for, &answer).await;
    Ok(answer)
}

/// Makes a token for the service principal: `(name, reach, read_only, ends_on)`.
#[cfg(feature = "ssr")]
pub(crate) async fn create_token(
    caller: &crate::server::authz::Caller,
    organization: &str,
    service_principal: &str,
    (name, reach, read_only, ends_on): (&str, &str, bool, &str),
) -> Result<CreatedToken, AppError> {
    use super::principal_in;
    use crate::api::tokens::fields;
    use crate::api::tokens::issue::{chosen_reach, prepare, within_credential};
    use crate::authz::Action;
    use crate::domain::Invalid;
    use crate::server::db::service_principal_tokens;
    use crate::server::error::OrInternal;

    let (state, user) = (&caller.state, caller.user());
    let org = caller.organization(organization, Action::RoleAssignmentsWrite).await?;
    let principal = principal_in(&state.pool, &org, service_principal).await?;
    let now = state.clock.now();
    let prepared = prepare(name, ends_on, now)?;
    // A service principal's roles are all in its organization; "everything" would mean only
    // that, but say what it reaches.
    let stored = chosen_reach(state, user, reach).await?;
    if stored.organization_id != Some(org.target().id) {
        return Err(AppError::invalid_field(
            fields::REACH,
            Invalid::new("Choose the service principal's organization or one of its workspaces."),
        ));
    }
    // Made with a token, it stays within that token's limits.
    within_credential(caller.principal.limits, &stored, read_only, prepared.expires_at)?;
    let token = prepared.token((principal.id, user.id), stored, read_only, now);
    let id = service_principal_tokens::create(
        &state.pool,
        &org,
        &caller.actor,
        (&principal, &token),
        reach.trim(),
    )
    .await
    .or_internal("storing a token")?;
    tracing::info!(user_id = user.id, principal = principal.id, token_id = id, "token created");
    Ok(prepared.answer())
}
