//! Instance-wide settings, kept by the instance admin.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor, Event, Place};
use crate::authz::Action;

use super::Pool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceSettings {
    pub anyone_may_create_organizations: bool,
    /// Off: only people holding an invitation may create an account.
    pub open_sign_up: bool,
}

pub async fn settings(pool: &Pool) -> Result<InstanceSettings, sqlx::Error> {
    let row = sqlx::query(
        "SELECT anyone_may_create_organizations, open_sign_up FROM instance_settings WHERE id = 1",
    )
    .fetch_one(pool)
    .await?;
    Ok(InstanceSettings {
        anyone_may_create_organizations: row
            .try_get::<i64, _>("anyone_may_create_organizations")?
            != 0,
        open_sign_up: row.try_get::<i64, _>("open_sign_up")? != 0,
    })
}

/// Instance settings have no organization: their activity-log entries carry none, and the
/// server log records them too.
pub async fn save(
    pool: &Pool,
    actor: &Actor,
    settings: InstanceSettings,
) -> Result<(), sqlx::Error> {
    let mut tx = super::begin(pool).await?;
    sqlx::query(
        "UPDATE instance_settings SET anyone_may_create_organizations = $1, open_sign_up = $2 \
         WHERE id = 1",
    )
    .bind(i64::from(settings.anyone_may_create_organizations))
    .bind(i64::from(settings.open_sign_up))
    .execute(&mut *tx)
    .await?;
    let event = Event {
        action: Action::OrganizationsWrite,
        place: Place::default(),
        scope_path: "/",
        target: "instance settings",
        details: json!({
            "anyone_may_create_organizations": settings.anyone_may_create_organizations,
            "open_sign_up": settings.open_sign_up,
        }),
    };
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await
}
