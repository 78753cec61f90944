use leptos::prelude::*;

use super::OrganizationList;
use crate::error::AppError;

/// The organizations I belong to (hold a role in), and whether I may create one.
#[server(endpoint = "organizations/list")]
pub async fn list_organizations() -> Result<OrganizationList, AppError> {
    use super::OrganizationSummary;
    use crate::server::db::instance;
    use crate::server::error::OrInternal;

    let caller = crate::server::authz::Caller::current().await?;
    let (state, user) = (&caller.state, caller.user());
    let orgs = belonging(&caller).await?;
    let settings =
        instance::settings(&state.pool).await.or_internal("reading instance settings")?;
    Ok(OrganizationList {
        organizations: orgs
            .into_iter()
            .map(|o| OrganizationSummary { slug: o.slug, name: o.name })
            .collect(),
        may_create: settings.anyone_may_create_organizations || user.is_instance_admin,
    })
}

/// The organizations the caller holds a role in, within its credential's reach.
#[cfg(feature = "ssr")]
pub(crate) async fn belonging(
    caller: &crate::server::authz::Caller,
) -> Result<Vec<crate::server::db::scopes::OrganizationScope>, AppError> {
    use crate::server::authz::Target;
    use crate::server::db::organizations;
    use crate::server::error::OrInternal;

    let orgs = organizations::of_member(caller.pool(), caller.user().id)
        .await
        .or_internal("listing organizations")?;
    let reach = caller.principal.limits.reach;
    Ok(orgs.into_iter().filter(|o| reach.covers(o.id, &o.scope_chain())).collect())
}
