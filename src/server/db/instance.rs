//! Instance-wide settings, kept by the instance admin.

use sqlx::Row;

use super::Pool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceSettings {
    pub anyone_may_create_organizations: bool,
}

pub async fn settings(pool: &Pool) -> Result<InstanceSettings, sqlx::Error> {
    let row =
        sqlx::query("SELECT anyone_may_create_organizations FROM instance_settings WHERE id = 1")
            .fetch_one(pool)
            .await?;
    Ok(InstanceSettings {
        anyone_may_create_organizations: row
            .try_get::<i64, _>("anyone_may_create_organizations")?
            != 0,
    })
}

pub async fn save(pool: &Pool, settings: InstanceSettings) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE instance_settings SET anyone_may_create_organizations = $1 WHERE id = 1")
        .bind(i64::from(settings.anyone_may_create_organizations))
        .execute(pool)
        .await?;
    Ok(())
}
