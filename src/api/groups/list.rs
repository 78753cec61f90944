use leptos::prelude::*;

use super::GroupsView;
use crate::error::AppError;

/// The organization's groups, with who is in each and how many role assignments each holds.
#[server(endpoint = "groups/list")]
pub async fn list_groups(organization: String) -> Result<GroupsView, AppError> {
    use super::{GroupMemberRow, GroupRow};
    use crate::api::access::MemberView;
    use crate::authz::Action;
    use crate::server::db::{groups, members};
    use crate::server::error::OrInternal;

    let caller = crate::server::authz::Caller::current().await?;
    let (state, user) = (&caller.state, caller.user());
    let (org, listed) = groups_of(&caller, &organization).await?;
    let target = org.target();
    let manages =
        |g: &groups::GroupRecord| g.members.iter().any(|m| m.user_id == user.id && m.manager);
    let may_pick = org.permits(Action::GroupsWrite) || listed.iter().any(manages);
    let candidates = if may_pick {
        members::members(&state.pool, target.id).await.or_internal("listing members")?
    } else {
        Vec::new()
    };
    Ok(GroupsView {
        organization_slug: target.slug.clone(),
        organization_name: target.name.clone(),
        groups: listed
            .into_iter()
            .map(|g| GroupRow {
                you_manage: manages(&g),
                name: g.name,
                description: g.description,
                assignments: g.assignments,
                members: g
                    .members
                    .into_iter()
                    .map(|m| GroupMemberRow {
                        display_name: m.display_name,
                        email: m.email,
                        service_principal: m.service_principal,
                        manager: m.manager,
                    })
                    .collect(),
            })
            .collect(),
        permitted: org.permitted_actions(),
        candidates: candidates.into_iter().map(MemberView::from).collect(),
    })
}

/// The groups of `organization` with their members, for whoever may read its groups.
#[cfg(feature = "ssr")]
pub(crate) async fn groups_of(
    caller: &crate::server::authz::Caller,
    organization: &str,
) -> Result<
    (
        crate::server::authz::Authorized<crate::server::db::scopes::OrganizationScope>,
        Vec<crate::server::db::groups::GroupRecord>,
    ),
    AppError,
> {
    use crate::authz::Action;
    use crate::server::db::groups;
    use crate::server::error::OrInternal;

    let org = caller.organization(organization, Action::GroupsRead).await?;
    let listed = groups::list(caller.pool(), &org).await.or_internal("listing groups")?;
    Ok((org, listed))
}
