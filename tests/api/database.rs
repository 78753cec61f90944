use atelier::server::config::Settings;
use atelier::server::startup::Application;

use crate::helpers::{client, spawn_app, test_settings};

fn sqlite_settings(dir: &std::path::Path) -> Settings {
    test_settings(&format!("sqlite://{}/nested/dir/atelier.db", dir.display()), dir)
}

#[tokio::test]
async fn sqlite_database_is_created_on_first_start_in_wal_mode_and_migrations_rerun_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    Application::build(sqlite_settings(dir.path())).await.expect("first start");
    assert!(dir.path().join("nested/dir/atelier.db").exists());
    // A second start on the same file finds the schema up to date.
    Application::build(sqlite_settings(dir.path())).await.expect("second start");

    let url = format!("sqlite://{}/nested/dir/atelier.db", dir.path().display());
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = spawn_app().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    assert!(response.status().is_success());
}
