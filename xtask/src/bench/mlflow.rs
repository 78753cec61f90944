//! The real MLflow tracking server beside Atelier: MLflow from PyPI (the version the tests pin,
//! in `target/mlflow-venv`), a SQLite database made by MLflow and filled by
//! `bench/mlflow_load.py` with the same runs as Atelier's benchmark workspace (cached beside
//! Atelier's data), started with `mlflow server` as its documentation says.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use super::data::{self, Dataset};
use super::server::{self, Server};
use crate::ensure;
use crate::process::root;

/// Metric history copied per run and metric: MLflow's `metrics` table keeps three indexes on
/// every point, so fifty million would take over ten gigabytes and most of an hour to write.
/// Searches read `latest_metrics`, which is always complete; at this cap, the small data set's
/// history is complete too.
pub const HISTORY_POINTS: u32 = 50;
pub const HISTORY_POINTS_FULL: u32 = 5;

pub struct MlflowData {
    pub db: PathBuf,
    pub history_points: u32,
    pub load_time: Duration,
    pub loaded_now: bool,
}

/// MLflow's database for `dataset`, made when the cache has none.
pub fn prepare(dataset: &Dataset, full: bool) -> anyhow::Result<(PathBuf, MlflowData)> {
    let python = ensure::mlflow_python()?;
    let history_points = if full { HISTORY_POINTS_FULL } else { HISTORY_POINTS };
    let script = root().join("bench/mlflow_load.py");
    let mut hash = Sha256::new();
    hash.update(std::fs::read(&script).context("reading bench/mlflow_load.py")?);
    hash.update(std::fs::read(root().join("tests/mlflow/requirements.txt"))?);
    hash.update(history_points.to_le_bytes());
    let key = data::hex(&hash.finalize()[..8]);
    let dir = dataset.dir.join(format!("mlflow-{key}"));
    let db = dir.join("mlflow.db");
    let timing = dir.join("load-seconds.txt");
    if let Ok(seconds) = std::fs::read_to_string(&timing) {
        eprintln!("xtask: MLflow's data from the cache: {}", dir.display());
        let load_time = Duration::from_secs_f64(seconds.trim().parse().unwrap_or(0.0));
        return Ok((python, MlflowData { db, history_points, load_time, loaded_now: false }));
    }
    for entry in std::fs::read_dir(&dataset.dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with("mlflow-") {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    std::fs::create_dir_all(&dir)?;
    eprintln!("xtask: copying the benchmark runs into MLflow's own schema (once)");
    let started = Instant::now();
    crate::process::run(
        Command::new(&python)
            .arg(&script)
            .arg("--atelier-db")
            .arg(dataset.data_dir().join("atelier.db"))
            .arg("--mlflow-db")
            .arg(&db)
            .arg("--artifacts")
            .arg(dir.join("artifacts"))
            .args(["--history", &history_points.to_string()]),
    )?;
    let load_time = started.elapsed();
    std::fs::write(&timing, load_time.as_secs_f64().to_string())?;
    Ok((python, MlflowData { db, history_points, load_time, loaded_now: true }))
}

/// A copy of `db` in `run_dir`, for [`start`].
pub fn copy(db: &Path, run_dir: &Path) -> anyhow::Result<()> {
    let work = run_dir.join("mlflow");
    let copy_time = data::fresh_copy(db.parent().context("the database's folder")?, &work)?;
    eprintln!("xtask: MLflow's database copied in {:.1} s", copy_time.as_secs_f64());
    Ok(())
}

/// Starts `mlflow server` on the copy in `run_dir`. SQLite's temporary files (MLflow's
/// searches sort a million rows, several at once) go to /dev/shm rather than filling the disk.
pub fn start(python: &Path, run_dir: &Path) -> anyhow::Result<Server> {
    let work = run_dir.join("mlflow");
    let mlflow = python.with_file_name("mlflow");
    if !mlflow.exists() {
        bail!("{} is missing: is the mlflow venv complete?", mlflow.display());
    }
    let port = server::free_port()?;
    let mut command = Command::new(&mlflow);
    command
        .arg("server")
        .arg("--backend-store-uri")
        .arg(format!("sqlite:///{}", work.join("mlflow.db").display()))
        .arg("--default-artifact-root")
        .arg(work.join("artifacts"))
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .env("SQLITE_TMPDIR", "/dev/shm")
        .current_dir(&work);
    Server::start("MLflow", command, port, "/health", &run_dir.join("mlflow.log"))
}
