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
    let orgs = organizations::of_member(&state.pool, user.id)
        .await
        .or_internal("listing organizations")?;
    let mut choices = Vec::new();
    for org in orgs {
        let may_create_group =
            authz::require(&state.pool, &user, org.clone(), Action::ResourceGroupsWrite).await;
        let readable =
            authz::require(&state.pool, &user, org.clone(), Action::OrganizationsRead).await;
        let groups = match &readable {
            Ok(readable) => {
                resource_groups::list(&state.pool, readable).await.or_internal("listing groups")?
            }
            Err(_) => Vec::new(),
        };
        let groups =
            authz::filter_permitted(&state.pool, &user, groups, Action::WorkspacesWrite).await?;
        if may_create_group.is_ok() || !groups.is_empty() {
            choices.push(OrganizationChoice {
                slug: org.slug,
                name: org.name,
                may_create_group: may_create_group.is_ok(),
                groups: groups.into_iter().map(|g| g.target().name.clone()).collect(),
            });
        }
    }
    Ok(Options { organizations: choices })
}
