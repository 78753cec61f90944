//! The integration tests' PostgreSQL databases: one per test, named `atelier_test_*`, made by
//! `fresh` and dropped as their test ends by one thread per test process. (PostgreSQL makes a
//! checkpoint per DROP DATABASE: waiting for it in each test doubled the run.) Left alone they
//! filled the disk: 300 tests leave 3 GB, every run again. The few a process leaves when it
//! exits, `cargo xtask test` drops after the pass.

use std::io::Write;
use std::sync::mpsc::Sender;
use std::sync::OnceLock;

use sqlx::{Connection, Executor, PgConnection};

/// A new database on the server of ATELIER_TEST_POSTGRES_URL (whose role may create them).
pub async fn fresh() -> String {
    let admin_url = admin_url();
    let name = format!("atelier_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin =
        PgConnection::connect(&admin_url).await.expect("connecting to ATELIER_TEST_POSTGRES_URL");
    admin
        .execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
        .await
        .expect("creating a test database");
    let mut url = url::Url::parse(&admin_url).expect("ATELIER_TEST_POSTGRES_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// Hands a finished test's database to the reaper; a SQLite URL is left alone.
pub fn drop_when_done(database_url: &str) {
    if let Some(name) = test_database_name(database_url) {
        reaper().send(name).ok();
    }
}

fn admin_url() -> String {
    std::env::var("ATELIER_TEST_POSTGRES_URL")
        .expect("ATELIER_TEST_BACKEND=postgres needs ATELIER_TEST_POSTGRES_URL")
}

/// The name of a test database on PostgreSQL, none for SQLite.
fn test_database_name(database_url: &str) -> Option<String> {
    let url = url::Url::parse(database_url).ok()?;
    let name = url.path().trim_start_matches('/');
    (url.scheme().starts_with("postgres") && name.starts_with("atelier_test_"))
        .then(|| name.to_owned())
}

/// The thread that drops finished tests' databases. Each DROP waits for a checkpoint, seconds
/// when the disk is busy; concurrent DROPs share one, so whatever has queued up meanwhile is
/// dropped together, each on its own connection.
fn reaper() -> &'static Sender<String> {
    static REAPER: OnceLock<Sender<String>> = OnceLock::new();
    REAPER.get_or_init(|| {
        let (send, receive) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the reaper's runtime");
            // Blocking on the channel is fine: nothing else runs on this thread meanwhile.
            while let Ok(first) = receive.recv() {
                let batch: Vec<String> =
                    std::iter::once(first).chain(receive.try_iter().take(7)).collect();
                runtime.block_on(async {
                    let mut drops = tokio::task::JoinSet::new();
                    for name in batch {
                        drops.spawn(drop_database(name));
                    }
                    drops.join_all().await;
                });
            }
        });
        send
    })
}

/// `WITH (FORCE)` ends the stopped server's connections still open; it refuses, to a role that
/// is not a superuser, when autovacuum is working in the database, which a plain DROP ends.
async fn drop_database(name: String) {
    // Names are atelier_test_ and 32 hex digits (see `fresh`): safe to quote.
    let forced = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
    let plain = format!(r#"DROP DATABASE IF EXISTS "{name}""#);
    let dropped = match PgConnection::connect(&admin_url()).await {
        Ok(mut admin) => match admin.execute(forced.as_str()).await {
            Ok(_) => Ok(()),
            Err(_) => admin.execute(plain.as_str()).await.map(|_| ()),
        },
        Err(error) => Err(error),
    };
    if let Err(error) = dropped {
        // Straight to stderr: the test harness would swallow eprintln! here.
        let _ = writeln!(std::io::stderr(), "test database {name} was not dropped: {error}");
    }
}
