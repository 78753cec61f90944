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

/// A connection that comes back to the pool with sqlx still counting a transaction on it (seen
/// under the benchmark's write load) is closed by the next write that meets it, not left to
/// fail every write after.
#[tokio::test]
async fn a_connection_left_counting_a_transaction_is_replaced_not_reused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/atelier.db", dir.path().display());
    // One connection, so that the next write must meet the stuck one.
    let pool = atelier::server::db::connect_and_migrate(&url, 1).await.unwrap();
    {
        let mut conn = pool.acquire().await.unwrap();
        let begun = sqlx::Connection::begin_with(&mut *conn, "BEGIN").await.unwrap();
        // Neither committed nor rolled back: sqlx keeps counting it on this connection.
        std::mem::forget(begun);
    }
    let stuck = pool.begin_with("BEGIN IMMEDIATE").await;
    assert!(
        matches!(stuck, Err(sqlx::Error::InvalidSavePointStatement)),
        "the connection was meant to be stuck: {stuck:?}"
    );
    for _ in 0..3 {
        let mut tx = atelier::server::db::begin(&pool).await.expect("a write begins");
        sqlx::query("CREATE TABLE IF NOT EXISTS written (n INTEGER)")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO written (n) VALUES (1)").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM written").fetch_one(&pool).await.unwrap();
    assert_eq!(n, 3);
}
