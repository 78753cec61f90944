//! The servers under test: started in their own process group on a free port, with their
//! output in a log file; how long they took to answer; their resident memory; stopped (the
//! whole group) when dropped.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::http::Request;

pub struct Server {
    pub name: &'static str,
    pub port: u16,
    child: Child,
    /// From starting the process to the first 200 of its health check.
    pub ready_after: Duration,
}

impl Server {
    /// Starts `command` (already given its port) and waits until `health` answers 200.
    pub fn start(
        name: &'static str,
        mut command: Command,
        port: u16,
        health: &str,
        log: &Path,
    ) -> anyhow::Result<Self> {
        let log_file =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        command
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .process_group(0);
        let started = Instant::now();
        let child = command.spawn().with_context(|| format!("starting {name}"))?;
        let mut server = Self { name, port, child, ready_after: Duration::ZERO };
        let deadline = started + Duration::from_secs(180);
        loop {
            if let Some(status) = server.child.try_wait()? {
                bail!("{name} stopped ({status}) before it answered; its log: {}", log.display());
            }
            if Request::get(health).send(port).is_ok_and(|r| r.status == 200) {
                server.ready_after = started.elapsed();
                break;
            }
            if Instant::now() > deadline {
                bail!(
                    "{name} did not answer {health} within 3 minutes; its log: {}",
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        eprintln!(
            "xtask: {name} answers on port {port} ({:.2} s after start)",
            server.ready_after.as_secs_f64()
        );
        Ok(server)
    }

    /// The process and every process it started.
    fn processes(&self) -> Vec<u32> {
        let mut all = vec![self.child.id()];
        let mut i = 0;
        while i < all.len() {
            all.extend(children(all[i]));
            i += 1;
        }
        all
    }

    /// Resident memory of the server's processes together, in bytes (VmRSS).
    pub fn resident_bytes(&self) -> u64 {
        self.processes().iter().filter_map(|pid| status_field(*pid, "VmRSS:")).sum::<u64>() * 1024
    }

    /// Waits (up to a minute) until the server has used under 5% of a core for half a
    /// second, so work queued by one workload does not run into the next; false when it is
    /// still busy then.
    pub fn wait_until_idle(&self) -> bool {
        let ticks = || self.processes().iter().filter_map(|pid| cpu_ticks(*pid)).sum::<u64>();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = ticks();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(500));
            let now = ticks();
            // 100 ticks a second: 5% of one core over half a second is 2.5 ticks.
            if now.saturating_sub(last) <= 2 {
                return true;
            }
            last = now;
        }
        eprintln!("xtask: {} is still busy a minute after the load stopped", self.name);
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The group holds the server and whatever it started (MLflow's workers).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn children(pid: u32) -> Vec<u32> {
    let path = format!("/proc/{pid}/task/{pid}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// A `kB` field of /proc/PID/status.
fn status_field(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// User and system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}
