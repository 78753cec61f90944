//! Driving load from other processes: `wrk` (Debian's) with the Lua scripts in `bench/wrk/`,
//! and a paced loop of sign-ins at a fixed rate in threads of this process.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::http::Request;
use crate::ensure;
use crate::process::root;

/// wrk's settings for every workload.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub connections: u32,
    pub threads: u32,
    pub duration: Duration,
    pub warmup: Duration,
}

/// What one workload measured.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    pub requests: u64,
    pub seconds: f64,
    /// Connection errors, timeouts and answers other than 2xx/3xx.
    pub errors: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Measured {
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Whether more than 1% of the requests failed: then the numbers measure errors.
    pub fn failed(&self) -> bool {
        self.requests == 0 || self.errors * 100 > self.requests
    }

    /// From latencies in milliseconds over `seconds`.
    pub fn of_latencies(mut latencies: Vec<f64>, errors: u64, seconds: f64) -> Self {
        latencies.sort_by(f64::total_cmp);
        let at = |q: f64| {
            latencies
                .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0.0)
        };
        Self {
            requests: latencies.len() as u64,
            seconds,
            errors,
            p50_ms: at(0.5),
            p99_ms: at(0.99),
        }
    }
}

/// Debian's wrk, installed when missing.
pub fn ensure_wrk() -> anyhow::Result<()> {
    if !wrk_present() {
        ensure::apt_install(&["wrk"])?;
    }
    Ok(())
}

/// `wrk --version` exits 1 even when it is there; its banner tells.
fn wrk_present() -> bool {
    Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wrk"))
}

/// A wrk run: which script, with which settings in its environment.
pub struct Script {
    pub file: &'static str,
    pub env: Vec<(String, String)>,
    /// The request itself, when it is the same every time.
    pub request: Option<Request>,
}

impl Script {
    /// `fixed.lua` sending `request` every time.
    pub fn fixed(request: &Request) -> Self {
        let mut script = Self::with_request("fixed.lua", request);
        script.env.push(("BENCH_METHOD".into(), request.method.into()));
        script.env.push(("BENCH_BODY".into(), request.body.clone()));
        script.request = Some(request.clone());
        script
    }

    /// `file`, sent to `request`'s path with its headers; the script makes the bodies.
    pub fn with_request(file: &'static str, request: &Request) -> Self {
        let env = vec![
            ("BENCH_PATH".into(), request.path.clone()),
            ("BENCH_HEADERS".into(), request.header_lines()),
        ];
        Self { file, env, request: None }
    }

    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }
}

fn scripts_dir() -> PathBuf {
    root().join("bench/wrk")
}

/// How long the script's request takes alone (no other load), in milliseconds, when it is
/// the same every time and answers 200.
pub fn alone(port: u16, script: &Script) -> Option<f64> {
    let request = script.request.as_ref()?;
    let sent = Instant::now();
    let ok = request.send(port).is_ok_and(|r| r.status == 200);
    ok.then(|| sent.elapsed().as_secs_f64() * 1000.0)
}

/// A warm-up run (not counted), then the measured run.
pub fn measure(load: &Load, port: u16, script: &Script) -> anyhow::Result<Measured> {
    if !load.warmup.is_zero() {
        wrk(load, load.warmup, port, script, "warmup")?;
    }
    wrk(load, load.duration, port, script, "measured")
}

fn wrk(
    load: &Load,
    duration: Duration,
    port: u16,
    script: &Script,
    phase: &str,
) -> anyhow::Result<Measured> {
    let output = Command::new("wrk")
        .arg(format!("--threads={}", load.threads))
        .arg(format!("--connections={}", load.connections))
        .arg(format!("--duration={}s", duration.as_secs().max(1)))
        .arg("--timeout=30s")
        .arg("--script")
        .arg(scripts_dir().join(script.file))
        .arg(format!("http://127.0.0.1:{port}"))
        .envs(script.env.iter().map(|(k, v)| (k, v)))
        .env("BENCH_WRK_DIR", scripts_dir())
        .env("BENCH_PREFIX", format!("{phase}{}", super::now_ms()))
        .env("BENCH_T0", super::now_ms().to_string())
        .output()
        .context("running wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout.lines().find_map(|l| l.strip_prefix("BENCH-RESULT ")) else {
        bail!(
            "wrk ({}) printed no result: {stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let field = |name: &str| -> u64 {
        line.split(' ')
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let errors = ["connect", "read", "write", "status", "timeout"].iter().map(|f| field(f)).sum();
    Ok(Measured {
        requests: field("requests"),
        seconds: field("duration_us") as f64 / 1e6,
        errors,
        p50_ms: field("p50_us") as f64 / 1000.0,
        p99_ms: field("p99_us") as f64 / 1000.0,
    })
}

/// Sends `request` `per_second` times a second, each on a new connection, from enough
/// threads that a slow answer does not delay the next, until `stop` is set; returns the
/// latencies of the answers that were 200 and the count of the others.
pub struct Paced {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
    latencies: Arc<Mutex<Vec<f64>>>,
    errors: Arc<Mutex<u64>>,
    started: Instant,
}

impl Paced {
    pub fn start(port: u16, request: Request, per_second: u32) -> Self {
        const THREADS: u32 = 4;
        let stop = Arc::new(AtomicBool::new(false));
        let latencies = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(Mutex::new(0));
        let started = Instant::now();
        let interval = Duration::from_secs_f64(f64::from(THREADS) / f64::from(per_second.max(1)));
        let threads = (0..THREADS)
            .map(|n| {
                let (stop, latencies, errors) = (stop.clone(), latencies.clone(), errors.clone());
                let request = request.clone();
                let offset = interval / THREADS * n;
                std::thread::spawn(move || {
                    let mut next = started + offset;
                    while !stop.load(Ordering::Relaxed) {
                        if let Some(wait) = next.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                        next += interval;
                        let sent = Instant::now();
                        match request.send(port) {
                            Ok(r) if r.status == 200 => latencies
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(sent.elapsed().as_secs_f64() * 1000.0),
                            _ => *errors.lock().unwrap_or_else(|e| e.into_inner()) += 1,
                        }
                    }
                })
            })
            .collect();
        Self { stop, threads, latencies, errors, started }
    }

    pub fn finish(self) -> Measured {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            let _ = thread.join();
        }
        let latencies =
            std::mem::take(&mut *self.latencies.lock().unwrap_or_else(|e| e.into_inner()));
        let errors = *self.errors.lock().unwrap_or_else(|e| e.into_inner());
        Measured::of_latencies(latencies, errors, self.started.elapsed().as_secs_f64())
    }
}
