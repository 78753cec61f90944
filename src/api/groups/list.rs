use leptos::prelude::*;

use super::GroupsView;
use crate::error::AppError;

/// The organization's groups, with who is in each and how many role assignments each holds.
#[server(endpoint = "groups/list")]
pub async fn list_groups(organization: String) -> Result<GroupsView, AppError> {
    use super::{GroupMemberRow, GroupRow};
    use crate::api::access::MemberView;
    use crate::api::invitations::pending_view;
    use crate::authz::Action;
    use crate::server::db::{group_invitations, groups, members};
    use crate::server::error::OrInternal;

    let caller = crate::server::authz::Caller::current().await?;
    let (state, user) = (&caller.state, caller.user());
    let (org, listed) = groups_of(&caller, &organization).await?;
    let target = org.target();
    let manages =
        |g: &groups::GroupRecord| g.members.iter().any(|m| m.user_id == user.id && m.manager);
    let may_pick = org.permits(Action::GroupsWrite) || listed.iter().any(manages);
    let (candidates, pending) = if may_pick {
        let candidates =
            members::members(&state.pool, target.id).await.or_internal("listing members")?;
        let pending = group_invitations::pending_in_groups(&state.pool, &org)
            .await
            .or_internal("listing group invitations")?;
        (candidates, pending)
    } else {
        (Vec::new(), Vec::new())
    };
    // Each group's pending invitations, shown to those who may change who is in it.
    let (now, mail) = (state.clock.now(), state.settings.smtp.is_some());
    let mut invited: std::collections::HashMap<i64, Vec<_>> = Default::default();
    for (group_id, row) in pending {
        invited.entry(group_id).or_default().push(pending_view(row, mail, now));
    }
    let may_change_all = org.permits(Action::GroupsWrite);
    Ok(GroupsView {
        organization_slug: target.slug.clone(),
        organization_name: target.name.clone(),
        groups: listed
            .into_iter()
            .map(|g| GroupRow {
                you_manage: manages(&g),
                invited: if may_change_all || manages(&g) {
                    invited.remove(&g.id).unwrap_or_default()
                } else {
                    Vec::new()
                },
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
