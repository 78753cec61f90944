//! A transaction that will write, and on SQLite the queue its process's writers wait in.
//!
//! SQLite lets one connection write at a time. A second writer's `BEGIN IMMEDIATE` waits in
//! SQLite's busy handler, which polls by sleeping (1, 2, 5, … up to 100 ms between tries): the
//! lock is often free for most of a sleep while writers doze, and one that keeps losing the
//! race waits far longer than the rest. Writers of one process therefore queue here first, in
//! order, and each begins when the one before it has committed or rolled back; the busy
//! handler is left for writers in other processes sharing the file. PostgreSQL locks rows and
//! needs none of this.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{Backend, Pool};

const IMMEDIATE: &str = "BEGIN IMMEDIATE";

/// How long a writer waits in the queue before it goes to SQLite's own busy handler instead:
/// the queue is a speed-up, never a lock of its own, so a writer that begins a second write
/// transaction while holding one fails as before (after the busy timeout), not forever.
const QUEUE_PATIENCE: Duration = Duration::from_secs(5);

/// A write transaction: use `&mut *tx` where a connection is wanted, then `commit`. Dropped
/// without committing, it rolls back, and the next writer in the queue begins.
pub struct WriteTransaction {
    tx: Transaction<'static, Any>,
    // Dropped after `tx` (fields drop in order): the next writer begins once this one ended.
    _turn: Option<OwnedSemaphorePermit>,
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl Deref for WriteTransaction {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Starts a transaction that will write. On SQLite it waits for its turn among this process's
/// writers, then takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that
/// reads first and writes after another connection committed fails at once with "database is
/// locked" (its snapshot is stale), which no timeout retries.
pub async fn begin(pool: &Pool) -> Result<WriteTransaction, sqlx::Error> {
    let url = pool.connect_options().database_url.as_str().to_owned();
    match Backend::of(&url) {
        Backend::Sqlite => {
            // The turn before the connection: a writer whose transaction also reads through
            // the pool (as logging a batch does) needs a second connection, and writers holding
            // every connection while they wait for their turn would leave it none.
            let queue = writers_of(&url);
            let turn = tokio::time::timeout(QUEUE_PATIENCE, queue.acquire_owned()).await;
            let turn = turn.ok().and_then(Result::ok);
            let tx = match pool.begin_with(IMMEDIATE).await {
                Err(sqlx::Error::InvalidSavePointStatement) => {
                    super::close_connections_left_in_a_transaction(pool).await?;
                    pool.begin_with(IMMEDIATE).await?
                }
                begun => begun?,
            };
            Ok(WriteTransaction { tx, _turn: turn })
        }
        Backend::Postgres => Ok(WriteTransaction { tx: pool.begin().await?, _turn: None }),
    }
}

/// The queue of writers to one SQLite database (by its URL: tests run many servers in one
/// process, each with its own file).
fn writers_of(url: &str) -> Arc<Semaphore> {
    static QUEUES: OnceLock<Mutex<HashMap<String, Arc<Semaphore>>>> = OnceLock::new();
    let queues = QUEUES.get_or_init(Default::default);
    let mut queues = queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    Arc::clone(queues.entry(url.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(1))))
}
