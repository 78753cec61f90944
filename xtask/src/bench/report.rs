//! The results as a table on the terminal, and as `BENCHMARKS.md` with the machine, the
//! commands, the table and the chart (`bench/chart.svg`).

use std::process::Command;

use super::load::Measured;
use super::results::{thousands, Fact, Row, Verdict};
use crate::process::root;

/// Everything the report says besides the rows.
pub struct Context {
    pub command: String,
    pub scale: &'static str,
    pub data: String,
    pub mlflow_data: Option<String>,
    pub load: String,
    pub times: Vec<(&'static str, f64)>,
    pub notes: Vec<String>,
}

const HEADER: [&str; 9] =
    ["Workload", "Atelier", "p50", "p99", "MLflow", "MLflow p99", "× MLflow", "Target", ""];

fn cells(row: &Row) -> [String; 9] {
    let rate = |m: &Measured| {
        if m.requests == 0 {
            format!("no answer within {:.0} s", m.seconds)
        } else if m.failed() {
            format!("{} errors of {}", thousands(m.errors as f64), thousands(m.requests as f64))
        } else {
            format!(
                "{} {}",
                thousands(row.rate(m)),
                if row.unit == "points/s" { "pts/s" } else { "/s" }
            )
        }
    };
    let latency =
        |m: &Measured, value: f64| if m.requests == 0 { "–".to_owned() } else { ms(value) };
    let (mlflow_rate, mlflow_p99) = match &row.mlflow {
        Some(m) => (rate(m), latency(m, m.p99_ms)),
        None => (String::new(), String::new()),
    };
    [
        row.name.clone(),
        rate(&row.atelier),
        latency(&row.atelier, row.atelier.p50_ms),
        latency(&row.atelier, row.atelier.p99_ms),
        mlflow_rate,
        mlflow_p99,
        row.ratio().map(|r| format!("{r:.1}×")).unwrap_or_default(),
        row.target_text(),
        row.verdict().mark().to_owned(),
    ]
}

fn fact_cells(fact: &Fact) -> [String; 5] {
    let value = |v: f64| format!("{v:.2} {}", fact.unit);
    [
        fact.name.to_owned(),
        value(fact.atelier),
        fact.mlflow.map(value).unwrap_or_default(),
        fact.target_text(),
        fact.verdict().mark().to_owned(),
    ]
}

const FACT_HEADER: [&str; 5] = ["Server", "Atelier", "MLflow", "Target", ""];

const ALONE_HEADER: [&str; 3] = ["One request alone, before the load", "Atelier", "MLflow"];

/// The requests timed alone (the searches): how long one takes without load.
fn alone_table(rows: &[Row]) -> Vec<[String; 3]> {
    let cell = |value: Option<f64>| value.map(ms).unwrap_or_else(|| "failed".to_owned());
    rows.iter()
        .filter(|r| r.alone_ms.iter().any(Option::is_some))
        .map(|r| [r.name.clone(), cell(r.alone_ms[0]), cell(r.alone_ms[1])])
        .collect()
}

fn ms(value: f64) -> String {
    match value {
        v if v < 10.0 => format!("{v:.2} ms"),
        v if v < 100.0 => format!("{v:.1} ms"),
        v => format!("{} ms", thousands(v)),
    }
}

/// Prints the tables.
pub fn print(rows: &[Row], facts: &[Fact]) {
    let table: Vec<[String; 9]> = rows.iter().map(cells).collect();
    print_aligned(&HEADER, &table);
    eprintln!();
    let table: Vec<[String; 5]> = facts.iter().map(fact_cells).collect();
    print_aligned(&FACT_HEADER, &table);
    eprintln!();
    print_aligned(&ALONE_HEADER, &alone_table(rows));
}

fn print_aligned<const N: usize>(header: &[&str; N], table: &[[String; N]]) {
    let mut widths = header.map(|h| h.chars().count());
    for row in table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        eprintln!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in table {
        line(row.iter().map(String::as_str).collect());
    }
}

fn markdown<const N: usize>(header: &[&str; N], table: &[[String; N]]) -> String {
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(N));
    for row in table {
        let cells: Vec<String> = row
            .iter()
            .map(|c| c.replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;"))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Writes `BENCHMARKS.md` and `bench/chart.svg`.
pub fn write(rows: &[Row], facts: &[Fact], context: &Context) -> anyhow::Result<()> {
    let date = output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let commit = output("git", &["rev-parse", "--short", "HEAD"]);
    let machine = machine();
    let caption = format!("cargo xtask bench --scale {}, {date}, {machine}", context.scale);
    std::fs::write(root().join("bench/chart.svg"), super::chart::svg(rows, &caption))?;
    let missed = rows.iter().filter(|r| r.verdict() == Verdict::Missed).count()
        + facts.iter().filter(|f| f.verdict() == Verdict::Missed).count();
    let times: Vec<String> =
        context.times.iter().map(|(what, s)| format!("{what} {}", duration(*s))).collect();
    let mut text = format!(
        "# Benchmarks\n\n\
         Written by `{}` on {date} (commit {commit}); {missed} targets missed. The targets are \
         issue 16's. Run it yourself (see the README's *Benchmarks*); every number below is \
         from one run on one machine, so expect some noise between runs.\n\n\
         ## Machine\n\n{machine}. Atelier's release build and the load generator share it: \
         {}.\n\n## Data\n\n{}\n\n",
        context.command, context.load, context.data
    );
    if let Some(mlflow) = &context.mlflow_data {
        text.push_str(&format!("{mlflow}\n\n"));
    }
    text.push_str("## Results\n\n");
    text.push_str(&markdown(&HEADER, &rows.iter().map(cells).collect::<Vec<_>>()));
    text.push('\n');
    text.push_str(&markdown(&FACT_HEADER, &facts.iter().map(fact_cells).collect::<Vec<_>>()));
    text.push('\n');
    text.push_str(&markdown(&ALONE_HEADER, &alone_table(rows)));
    text.push_str(
        "\n![Throughput and p99 latency per workload, Atelier and MLflow](bench/chart.svg)\n\n",
    );
    text.push_str(&format!("## Times\n\n{}.\n\n", times.join("; ")));
    if !context.notes.is_empty() {
        text.push_str("## Notes\n\n");
        for note in &context.notes {
            text.push_str(&format!("- {note}\n"));
        }
    }
    std::fs::write(root().join("BENCHMARKS.md"), text)?;
    eprintln!("xtask: wrote BENCHMARKS.md and bench/chart.svg");
    Ok(())
}

pub fn duration(seconds: f64) -> String {
    match seconds {
        s if s < 120.0 => format!("{s:.1} s"),
        s => format!("{:.0} min {:.0} s", (s / 60.0).floor(), s % 60.0),
    }
}

fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// CPU model, cores (`nproc`), memory and system.
pub fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .and_then(|r| r.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = read("/proc/meminfo");
    let memory_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let os_release = read("/etc/os-release");
    let system = os_release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| "Linux".into());
    format!(
        "{cpu}, `nproc` {}, {:.1} GiB of memory, {system}, kernel {}",
        output("nproc", &[]),
        memory_kib / 1024.0 / 1024.0,
        output("uname", &["-r"])
    )
}
