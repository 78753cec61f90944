use leptos::prelude::*;

use super::GroupsView;
use crate::error::AppError;

/// The organization's groups, with who is in each and how many role assignments each holds.
#[server(endpoint = "groups/list")]
pub async fn list_groups(organization: String) -> Result<GroupsView, AppError> {
    use super::{GroupMemberRow, GroupRow};
    use crate::authz::Action;
    use crate::server::db::groups;
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let org = authz::organization(&state.pool, &user, &organization, Action::GroupsRead).await?;
    let listed = groups::list(&state.pool, &org).await.or_internal("listing groups")?;
    let target = org.target();
    Ok(GroupsView {
        organization_slug: target.slug.clone(),
        organization_name: target.name.clone(),
        groups: listed
            .into_iter()
            .map(|g| GroupRow {
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
    })
}
