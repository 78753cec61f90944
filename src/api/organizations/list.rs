use leptos::prelude::*;

use super::OrganizationList;
use crate::error::AppError;

/// The organizations I belong to (hold a role in), and whether I may create one.
#[server(endpoint = "organizations/list")]
pub async fn list_organizations() -> Result<OrganizationList, AppError> {
    use super::OrganizationSummary;
    use crate::server::db::{instance, organizations};
    use crate::server::{auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let orgs = organizations::of_member(&state.pool, user.id)
        .await
        .or_internal("listing organizations")?;
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
