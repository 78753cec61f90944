use leptos::prelude::*;

use super::InstanceSettingsView;
use crate::error::AppError;

#[server(endpoint = "instance/settings")]
pub async fn instance_settings() -> Result<InstanceSettingsView, AppError> {
    use crate::server::db::instance;
    use crate::server::{auth, error::OrInternal};

    let (state, _admin) = auth::caller_instance_admin().await?;
    let settings =
        instance::settings(&state.pool).await.or_internal("reading instance settings")?;
    Ok(InstanceSettingsView {
        anyone_may_create_organizations: settings.anyone_may_create_organizations,
        open_sign_up: settings.open_sign_up,
    })
}

/// Each setting arrives as a checkbox: present ("on") or absent.
#[server(endpoint = "instance/save_settings")]
pub async fn save_instance_settings(
    #[server(default)] anyone_may_create_organizations: Option<String>,
    #[server(default)] open_sign_up: Option<String>,
) -> Result<(), AppError> {
    use crate::server::db::instance;
    use crate::server::{audit, auth, error::OrInternal};

    let (state, admin) = auth::caller_instance_admin().await?;
    let settings = instance::InstanceSettings {
        anyone_may_create_organizations: anyone_may_create_organizations.is_some(),
        open_sign_up: open_sign_up.is_some(),
    };
    instance::save(&state.pool, &audit::actor(&admin).await, settings)
        .await
        .or_internal("saving instance settings")?;
    tracing::info!(user_id = admin.id, ?settings, "instance settings changed");
    Ok(())
}
