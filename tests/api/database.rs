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

/// Many writers at once, from two pools on one SQLite file (as two server processes would be:
/// each queues its own writers, and the two meet in SQLite's busy handler), all commit; and a
/// writer waits for the one before it to end rather than failing, and each sees what the ones
/// before it wrote.
#[tokio::test]
async fn concurrent_writers_of_one_file_all_commit_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/atelier.db", dir.path().display());
    let other_url = format!("sqlite://{}/./atelier.db", dir.path().display());
    let pool = atelier::server::db::connect_and_migrate(&url, 8).await.unwrap();
    let other = atelier::server::db::connect_and_migrate(&other_url, 8).await.unwrap();
    sqlx::query("CREATE TABLE written (pool INTEGER, n INTEGER)").execute(&pool).await.unwrap();

    let held = atelier::server::db::begin(&pool).await.expect("the first write begins");
    let waiting = tokio::spawn({
        let pool = pool.clone();
        async move {
            let mut tx = atelier::server::db::begin(&pool).await.expect("the next write begins");
            sqlx::query("INSERT INTO written VALUES (0, -1)").execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the second writer waits for the first");
    held.commit().await.unwrap();
    waiting.await.unwrap();

    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..64 {
        for (which, pool) in [(1, pool.clone()), (2, other.clone())] {
            writers.spawn(async move {
                let mut tx = atelier::server::db::begin(&pool).await?;
                let count: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM written").fetch_one(&mut *tx).await?;
                sqlx::query("INSERT INTO written VALUES ($1, $2)")
                    .bind(which)
                    .bind(count)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            });
        }
    }
    while let Some(done) = writers.join_next().await {
        done.unwrap().expect("every writer commits");
    }
    // Each writer read the rows before it and wrote that count: in turn, no two read the same.
    let seen: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT n) FROM written WHERE pool > 0")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(seen, 2 * 64);
}

/// A write transaction that also reads through the pool (logging a batch does) gets its second
/// connection even when more writers wait than the pool has connections: writers wait for their
/// turn without holding one.
#[tokio::test]
async fn writers_waiting_for_their_turn_leave_connections_to_the_one_writing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/atelier.db", dir.path().display());
    let pool = atelier::server::db::connect_and_migrate(&url, 2).await.unwrap();
    sqlx::query("CREATE TABLE written (n INTEGER)").execute(&pool).await.unwrap();
    let mut writers = tokio::task::JoinSet::new();
    for n in 0..8 {
        let pool = pool.clone();
        writers.spawn(async move {
            let mut tx = atelier::server::db::begin(&pool).await?;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let _: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM written").fetch_one(&pool).await?;
            sqlx::query("INSERT INTO written VALUES ($1)").bind(n).execute(&mut *tx).await?;
            tx.commit().await
        });
    }
    // A writer starved of its second connection fails when the pool's acquire timeout ends.
    while let Some(done) = writers.join_next().await {
        done.unwrap().expect("every writer commits");
    }
}
