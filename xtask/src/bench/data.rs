//! The benchmark's data: `atelier seed-demo --scale … --tenants …` run once per data shape and
//! schema and kept under `target/bench/data/`, then copied for each run (the workloads write,
//! and every run must start from the same data).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use crate::process::root;

/// How much data: `small` for a quick run, `full` for the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Small,
    Full,
}

impl Scale {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        match text {
            "small" => Ok(Self::Small),
            "full" => Ok(Self::Full),
            other => bail!("--scale takes small or full, not {other:?}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Full => "full",
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Self::Small => Shape { runs: 10_000, points: 50, tenants: 10 },
            Self::Full => Shape { runs: 1_000_000, points: 50, tenants: 100 },
        }
    }
}

/// What seed-demo is asked for: runs in the benchmark workspace, loss points per run, and
/// tenant organizations of ten workspaces each beside the demo organization.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub runs: u64,
    pub points: u32,
    pub tenants: u32,
}

/// The benchmark workspace, where the `--scale` runs are.
pub const WORKSPACE: (&str, &str, &str) = ("demo-lab", "benchmarks", "scale");
/// A small workspace of the demo, where the write workload adds experiments.
pub const WRITE_WORKSPACE: (&str, &str, &str) = ("demo-lab", "vision", "detector-dev");

/// A seeded data directory in the cache, with how to sign in to it.
pub struct Dataset {
    pub dir: PathBuf,
    pub email: String,
    pub password: String,
    /// What seed-demo reported, and how long loading took.
    pub summary: String,
    pub load_time: Duration,
    /// Whether it was loaded by this run (else it came from the cache).
    pub loaded_now: bool,
}

impl Dataset {
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("atelier")
    }
}

pub fn bench_dir() -> PathBuf {
    root().join("target/bench")
}

/// The cached data for `scale`, seeded with `server` first when the cache has none for this
/// shape and schema.
pub fn prepare(server: &Path, scale: Scale) -> anyhow::Result<Dataset> {
    let shape = scale.shape();
    let key = cache_key(shape)?;
    let cache = bench_dir().join("data");
    let dir = cache.join(format!("{}-{key}", scale.name()));
    if let Some(dataset) = read_cached(&dir, &key)? {
        eprintln!("xtask: benchmark data from the cache: {}", dir.display());
        return Ok(dataset);
    }
    prune(&cache, scale)?;
    let partial = cache.join(format!("{}-{key}.partial", scale.name()));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(partial.join("atelier"))?;
    eprintln!(
        "xtask: loading {} runs of {} points and {} tenant organizations (once; cached in {})",
        shape.runs,
        shape.points,
        shape.tenants,
        dir.display()
    );
    let started = Instant::now();
    let output = Command::new(server)
        .args(["seed-demo", "--scale", &shape.runs.to_string()])
        .args(["--points", &shape.points.to_string(), "--tenants", &shape.tenants.to_string()])
        .env("ATELIER_DATA_DIR", partial.join("atelier"))
        .env_remove("ATELIER_DATABASE_URL")
        .current_dir(&partial)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running atelier seed-demo")?;
    let load_time = started.elapsed();
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!("atelier seed-demo failed ({}): {report}", output.status);
    }
    let (email, password) = credentials(&report)?;
    let summary = report.lines().next().unwrap_or_default().to_owned();
    let record = format!("{key}\n{email}\n{password}\n{}\n{summary}\n", load_time.as_secs_f64());
    std::fs::write(partial.join("dataset.txt"), record)?;
    std::fs::rename(&partial, &dir)?;
    eprintln!("xtask: loaded in {:.0} s: {summary}", load_time.as_secs_f64());
    Ok(Dataset { dir, email, password, summary, load_time, loaded_now: true })
}

fn read_cached(dir: &Path, key: &str) -> anyhow::Result<Option<Dataset>> {
    let Ok(record) = std::fs::read_to_string(dir.join("dataset.txt")) else {
        return Ok(None);
    };
    let lines: Vec<&str> = record.lines().collect();
    let [cached_key, email, password, seconds, summary] = lines[..] else {
        return Ok(None);
    };
    if cached_key != key {
        return Ok(None);
    }
    Ok(Some(Dataset {
        dir: dir.to_owned(),
        email: email.to_owned(),
        password: password.to_owned(),
        summary: summary.to_owned(),
        load_time: Duration::from_secs_f64(seconds.parse().unwrap_or(0.0)),
        loaded_now: false,
    }))
}

/// Removes this scale's cached data of other shapes or schemas (and what was made from it).
fn prune(cache: &Path, scale: Scale) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(cache) else { return Ok(()) };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&format!("{}-", scale.name())) {
            eprintln!("xtask: removing stale benchmark data {}", entry.path().display());
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// "Sign in as EMAIL with the password PASSWORD (shown only now)."
fn credentials(report: &str) -> anyhow::Result<(String, String)> {
    let line = report
        .lines()
        .find_map(|l| l.strip_prefix("Sign in as "))
        .with_context(|| format!("seed-demo printed no password: {report}"))?;
    let (email, rest) = line.split_once(" with the password ").context("the password line")?;
    let password = rest.split_whitespace().next().context("the password")?;
    Ok((email.to_owned(), password.to_owned()))
}

/// The shape, the schema (every SQLite migration's name and text) and the seeding code.
fn cache_key(shape: Shape) -> anyhow::Result<String> {
    let mut hash = Sha256::new();
    hash.update(format!("{shape:?}\n"));
    for dir in ["migrations/sqlite", "src/server/demo"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .with_context(|| format!("reading {dir}"))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        files.sort();
        for file in files {
            hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
            hash.update(std::fs::read(&file)?);
        }
    }
    Ok(hex(&hash.finalize()[..8]))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh copy of `from` at `to` (a directory tree), replacing what was there.
pub fn fresh_copy(from: &Path, to: &Path) -> anyhow::Result<Duration> {
    let started = Instant::now();
    if to.exists() {
        std::fs::remove_dir_all(to).with_context(|| format!("removing {}", to.display()))?;
    }
    copy_tree(from, to)?;
    Ok(started.elapsed())
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
