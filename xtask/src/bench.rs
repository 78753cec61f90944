//! `cargo xtask bench`: the benchmark suite of issue 16 in one command. It builds the release,
//! loads the `seed-demo --scale` data once (cached under `target/bench/data/` by data shape,
//! schema and seeding code), starts Atelier on a copy of it, signs in, and drives each
//! workload with `wrk` from another process; then it starts the real MLflow tracking server
//! on the same runs and sends it the same tracking workloads; it prints a table of both with
//! the targets, and writes `BENCHMARKS.md` and `bench/chart.svg`.
//!
//! Missed targets are reported, not failed on: the command fails only when the harness does,
//! or with `--strict` when a target is missed. Timing never enters `cargo test`.

mod chart;
mod data;
mod http;
mod load;
mod mlflow;
mod report;
mod results;
mod server;
mod session;
mod workloads;

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

use crate::build::{self, Profile};
use data::Scale;
use load::Load;
use results::{Fact, Row, Verdict};
use server::Server;

struct Options {
    scale: Scale,
    load: Load,
    mlflow: bool,
    strict: bool,
    build: bool,
}

impl Options {
    fn parse(args: &[&str]) -> anyhow::Result<Self> {
        let mut options = Self {
            scale: Scale::Full,
            load: Load {
                connections: 50,
                threads: 2,
                duration: Duration::from_secs(15),
                warmup: Duration::from_secs(2),
            },
            mlflow: true,
            strict: false,
            build: true,
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = || {
                rest.next()
                    .copied()
                    .with_context(|| format!("{arg} needs a value\n\n{}", crate::USAGE))
            };
            let number = |text: &str| -> anyhow::Result<u32> {
                text.parse().with_context(|| format!("{arg} takes a whole number, not {text:?}"))
            };
            match *arg {
                "--scale" => options.scale = Scale::parse(value()?)?,
                "--duration" => {
                    options.load.duration = Duration::from_secs(number(value()?)?.max(1).into())
                }
                "--warmup" => options.load.warmup = Duration::from_secs(number(value()?)?.into()),
                "--connections" => options.load.connections = number(value()?)?.max(1),
                "--threads" => options.load.threads = number(value()?)?.max(1),
                "--no-mlflow" => options.mlflow = false,
                "--strict" => options.strict = true,
                "--no-build" => options.build = false,
                other => bail!("unknown option {other:?}\n\n{}", crate::USAGE),
            }
        }
        if options.load.threads > options.load.connections {
            bail!("--threads cannot exceed --connections (wrk needs a connection per thread)");
        }
        Ok(options)
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

pub fn run(args: &[&str]) -> anyhow::Result<()> {
    let options = Options::parse(args)?;
    let started = Instant::now();
    let built = if options.build { build::all(Profile::Release)? } else { last_build()? };
    let build_time = started.elapsed().as_secs_f64();
    load::ensure_wrk()?;

    let dataset = data::prepare(&built.server, options.scale)?;
    let shape = options.scale.shape();
    let run_dir = data::bench_dir().join("run");
    std::fs::create_dir_all(&run_dir)?;
    let copy_time = data::fresh_copy(&dataset.data_dir(), &run_dir.join("atelier"))?;
    eprintln!("xtask: Atelier's data copied in {:.1} s", copy_time.as_secs_f64());
    let workloads_started = Instant::now();
    let load_before = load_average();

    let port = server::free_port()?;
    let mut command = Command::new(&built.server);
    command
        .env("ATELIER_DATA_DIR", run_dir.join("atelier"))
        .env("ATELIER_SITE_ROOT", &built.site_root)
        .env("ATELIER_LISTEN", format!("127.0.0.1:{port}"))
        .env_remove("ATELIER_DATABASE_URL")
        .env_remove("ATELIER_BASE_URL")
        .current_dir(&run_dir);
    let atelier =
        Server::start("Atelier", command, port, "/healthz", &run_dir.join("atelier.log"))?;
    let session = session::Session::sign_in(port, &dataset)?;
    let tracking = session::Tracking::atelier(port, &session.token()?)?;
    let found = workloads::atelier(&options.load, &atelier, &session, &tracking, &shape)?;
    let mut rows = found.rows;
    let atelier_facts = (atelier.ready_after, found.memory_after_pages, atelier.resident_bytes());
    drop(atelier);
    // The copies are gigabytes at full scale: gone once used (the logs stay).
    std::fs::remove_dir_all(run_dir.join("atelier"))?;

    let mut mlflow_facts = None;
    let mut mlflow_data = None;
    let mut notes = Vec::new();
    if options.mlflow {
        let (python, prepared) = mlflow::prepare(&dataset, options.scale == Scale::Full)?;
        mlflow::copy(&prepared.db, &run_dir)?;
        let server = mlflow::start(&python, &run_dir)?;
        let tracking = session::Tracking::mlflow(server.port)?;
        let restart = || mlflow::start(&python, &run_dir);
        let server =
            workloads::mlflow(&options.load, server, restart, &tracking, &shape, &mut rows)?;
        mlflow_facts = Some((server.ready_after, server.resident_bytes()));
        drop(server);
        std::fs::remove_dir_all(run_dir.join("mlflow"))?;
        mlflow_data = Some(prepared);
    } else {
        notes.push("MLflow was left out (`--no-mlflow`): no ratios.".to_owned());
    }
    let run_time = workloads_started.elapsed().as_secs_f64();

    let megabytes = |bytes: u64| bytes as f64 / 1024.0 / 1024.0;
    let full = options.scale == Scale::Full;
    let facts = vec![
        Fact {
            name: "ready after start (first 200 of the health check)",
            atelier: atelier_facts.0.as_secs_f64(),
            mlflow: mlflow_facts.map(|(ready, _)| ready.as_secs_f64()),
            unit: "s",
            at_most: Some(1.0),
        },
        Fact {
            name: "resident memory after the runs page workload",
            atelier: megabytes(atelier_facts.1),
            mlflow: None,
            unit: "MB",
            at_most: full.then_some(150.0),
        },
        Fact {
            name: "resident memory at the end (all processes)",
            atelier: megabytes(atelier_facts.2),
            mlflow: mlflow_facts.map(|(_, rss)| megabytes(rss)),
            unit: "MB",
            at_most: None,
        },
    ];
    eprintln!();
    report::print(&rows, &facts);
    let mut times = vec![("build", build_time)];
    if dataset.loaded_now {
        times.push(("loading Atelier's data", dataset.load_time.as_secs_f64()));
    } else {
        times.push((
            "loading Atelier's data (cached; the first run took)",
            dataset.load_time.as_secs_f64(),
        ));
    }
    if let Some(prepared) = &mlflow_data {
        let what = if prepared.loaded_now {
            "copying the runs into MLflow's schema"
        } else {
            "copying the runs into MLflow's schema (cached; the first run took)"
        };
        times.push((what, prepared.load_time.as_secs_f64()));
    }
    times.push(("copying the data for this run", copy_time.as_secs_f64()));
    times.push(("the workloads", run_time));
    times.push(("the whole command", started.elapsed().as_secs_f64()));
    notes.extend(standing_notes());
    let context = report::Context {
        command: command_line(args),
        scale: options.scale.name(),
        data: format!(
            "`atelier seed-demo --scale {} --points {} --tenants {}`: {}",
            shape.runs, shape.points, shape.tenants, dataset.summary
        ),
        mlflow_data: mlflow_data.map(|p| mlflow_data_text(p.history_points, &shape)),
        load: format!(
            "`wrk` with {} threads and {} connections, {} s a workload after {} s of warm-up; \
             the load average (1, 5, 15 minutes) was {load_before} as the workloads began and {} \
             as they ended (other work on the machine competes for its cores)",
            options.load.threads,
            options.load.connections,
            options.load.duration.as_secs(),
            options.load.warmup.as_secs(),
            load_average()
        ),
        times,
        notes,
    };
    report::write(&rows, &facts, &context)?;
    eprintln!("xtask: benchmark done in {}", report::duration(started.elapsed().as_secs_f64()));
    let missed = missed(&rows, &facts);
    if missed > 0 {
        eprintln!("xtask: {missed} targets missed");
        if options.strict {
            bail!("{missed} targets missed (--strict)");
        }
    }
    Ok(())
}

/// The release build as the last `cargo xtask build` left it (`--no-build`).
fn last_build() -> anyhow::Result<build::Built> {
    let server = crate::process::cargo_target_dir().join("release/atelier");
    if !server.exists() {
        bail!("--no-build: there is no release build yet ({})", server.display());
    }
    Ok(build::Built { server, site_root: build::site_root() })
}

/// The first three fields of /proc/loadavg.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(", ")
}

fn missed(rows: &[Row], facts: &[Fact]) -> usize {
    rows.iter().filter(|r| r.verdict() == Verdict::Missed).count()
        + facts.iter().filter(|f| f.verdict() == Verdict::Missed).count()
}

fn command_line(args: &[&str]) -> String {
    std::iter::once("cargo xtask bench").chain(args.iter().copied()).collect::<Vec<_>>().join(" ")
}

fn mlflow_data_text(history_points: u32, shape: &data::Shape) -> String {
    let history = if history_points >= shape.points {
        "all their metric history".to_owned()
    } else {
        format!(
            "the last {history_points} points of each run's metric history ({} of {} points: \
             MLflow's metrics table keeps three indexes per point, and all of them would take \
             over ten gigabytes; searches read `latest_metrics`, which is complete)",
            results::thousands(shape.runs as f64 * f64::from(history_points)),
            results::thousands(shape.runs as f64 * f64::from(shape.points))
        )
    };
    format!(
        "MLflow ({}, `mlflow server` with its defaults and a SQLite backend store) holds the \
         benchmark workspace's {} runs in ten experiments, copied by `bench/mlflow_load.py` \
         into the schema MLflow made: the same names, statuses, times, parameters, tags, \
         latest metric values and {history}.",
        mlflow_version(),
        results::thousands(shape.runs as f64)
    )
}

fn mlflow_version() -> String {
    let requirements =
        std::fs::read_to_string(crate::process::root().join("tests/mlflow/requirements.txt"))
            .unwrap_or_default();
    requirements.lines().find(|l| l.starts_with("mlflow")).unwrap_or("mlflow").to_owned()
}

/// What every reader of the table should know.
fn standing_notes() -> Vec<String> {
    vec![
        "Rates are completed requests a second over the measured run (log-batch: metric points a second); p50 and p99 are wrk's latency percentiles. A row whose requests failed for more than 1% shows its errors instead and misses its target.".into(),
        "The write workload adds experiments to `demo-lab/vision/detector-dev`, and the logging workloads add points to eight new runs; each run of the suite starts from a fresh copy of the cached data.".into(),
        "Sign-ins are paced at 20 a second from four threads of the xtask process (a new connection each), while wrk loads the runs page; the page row under sign-ins is held to its own target less 20%.".into(),
    ]
}
