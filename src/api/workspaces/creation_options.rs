use leptos::prelude::*;

use super::CreationOptions as Options;
use crate::error::AppError;

/// The organizations and resource groups where I may create a workspace.
#[server(endpoint = "workspaces/creation_options")]
pub async fn creation_options() -> Result<Options, AppError> {
    use super::OrganizationChoice;
    use crate::authz::Action;
    use crate::server::db::{organizations, resource_groups};
    use crate::server::{auth, authz, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let pool = &state.pool;
    let orgs =
        organizations::of_member(pool, user.id).await.or_internal("listing organizations")?;
    let orgs = authz::filter_permitted(pool, &user, orgs, Action::ResourceGroupsWrite).await?;
    let groups =
        resource_groups::in_organizations_of(pool, user.id).await.or_internal("listing groups")?;
    let groups = authz::filter_permitted(pool, &user, groups, Action::WorkspacesWrite).await?;
    let mut choices: Vec<OrganizationChoice> = Vec::new();
    for org in orgs {
        let org = org.target();
        choices.push(OrganizationChoice {
            slug: org.slug.clone(),
            name: org.name.clone(),
            may_create_group: true,
            groups: Vec::new(),
        });
    }
    for group in groups {
        let group = group.target();
        let org = &group.organization;
        match choices.iter_mut().find(|c| c.slug == org.slug) {
            Some(choice) => choice.groups.push(group.name.clone()),
            None => choices.push(OrganizationChoice {
                slug: org.slug.clone(),
                name: org.name.clone(),
                may_create_group: false,
                groups: vec![group.name.clone()],
            }),
        }
    }
    choices.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Options { organizations: choices })
}
