use leptos::prelude::*;

use super::PrincipalTokensView;
use crate::error::AppError;

/// A service principal's tokens, newest first, and (for those who may make one) the places a
/// new one may reach: its organization or one of its workspaces.
#[server(endpoint = "service_principals/tokens")]
pub async fn service_principal_tokens(
    organization: String,
    service_principal: String,
) -> Result<PrincipalTokensView, AppError> {
    use super::principal_in;
    use crate::api::tokens::issue::reach_choices;
    use crate::api::tokens::{row, TokensView};
    use crate::authz::Action;
    use crate::server::db::access_tokens;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org =
        authz::organization(&state.pool, &user, &organization, Action::RoleAssignmentsRead).await?;
    let principal = principal_in(&state.pool, &org, &service_principal).await?;
    let now = state.clock.now();
    let tokens =
        access_tokens::for_user(&state.pool, principal.id).await.or_internal("listing tokens")?;
    let may_manage = org.permits(Action::RoleAssignmentsWrite);
    let reaches = if may_manage {
        reach_choices(&state, &user, Some(org.target())).await?
    } else {
        Vec::new()
    };
    Ok(PrincipalTokensView {
        name: principal.name,
        identity: principal.identity,
        tokens: TokensView::new(tokens.into_iter().map(|t| row(t, now)).collect(), reaches, now),
        may_manage,
    })
}
