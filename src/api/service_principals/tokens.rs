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
    use crate::api::tokens::issue::reach_choices;
    use crate::api::tokens::{row, TokensView};
    use crate::authz::Action;

    let caller = crate::server::authz::Caller::current().await?;
    let (state, user) = (&caller.state, caller.user());
    let (org, principal, tokens) = tokens_of(&caller, &organization, &service_principal).await?;
    let now = state.clock.now();
    let may_manage = org.permits(Action::RoleAssignmentsWrite);
    let reaches =
        if may_manage { reach_choices(state, user, Some(org.target())).await? } else { Vec::new() };
    Ok(PrincipalTokensView {
        name: principal.name,
        identity: principal.identity,
        tokens: TokensView::new(tokens.into_iter().map(|t| row(t, now)).collect(), reaches, now),
        may_manage,
    })
}

/// The service principal's tokens, for whoever may read the organization's role assignments.
#[cfg(feature = "ssr")]
pub(crate) async fn tokens_of(
    caller: &crate::server::authz::Caller,
    organization: &str,
    service_principal: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        crate::server::db::service_principals::ServicePrincipal,
        Vec<crate::server::db::access_tokens::TokenRecord>,
    ),
    AppError,
> {
    use super::principal_in;
    use crate::authz::Action;
    use crate::server::db::access_tokens;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::RoleAssignmentsRead).await?;
    let principal = principal_in(caller.pool(), &org, service_principal).await?;
    let tokens =
        access_tokens::for_user(caller.pool(), principal.id).await.or_internal("listing tokens")?;
    Ok((org, principal, tokens))
}
