use leptos::prelude::*;

use crate::error::AppError;

/// Creates an organization; its creator becomes its Owner. The instance decides whether anyone
/// or only its admin may do this.
#[server(endpoint = "organizations/create")]
pub async fn create_organization(name: String, slug: String) -> Result<(), AppError> {
    use super::fields;
    use crate::domain::{OrganizationName, Slug};
    use crate::error::ErrorKind;
    use crate::server::db::{instance, organizations};
    use crate::server::{audit, auth, error::OrInternal};

    let (state, user) = auth::caller().await?;
    let settings =
        instance::settings(&state.pool).await.or_internal("reading instance settings")?;
    if !settings.anyone_may_create_organizations && !user.is_instance_admin {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "On this instance only the administrator creates organizations. Ask them to create one and invite you.",
        ));
    }
    let name =
        OrganizationName::parse(&name).map_err(|e| AppError::invalid_field(fields::NAME, e))?;
    let slug = Slug::parse(&slug).map_err(|e| AppError::invalid_field(fields::SLUG, e))?;
    let org =
        match organizations::create(&state.pool, &audit::actor(&user).await, user.id, &name, &slug)
            .await
        {
            Ok(org) => org,
            Err(organizations::CreateError::SlugTaken) => {
                return Err(AppError::conflict(
                    fields::SLUG,
                    "That short name is taken. Choose another.",
                ))
            }
            Err(organizations::CreateError::Assignment(e)) => {
                return Err(e).or_internal("making the creator Owner")
            }
            Err(organizations::CreateError::Database(e)) => {
                return Err(e).or_internal("creating an organization")
            }
        };
    tracing::info!(user_id = user.id, org_id = org.id, "organization created");
    leptos_axum::redirect(&format!("/organizations/{}", org.slug));
    Ok(())
}
