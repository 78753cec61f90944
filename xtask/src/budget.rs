//! The browser bundle's size budget (issue 16), checked by `cargo xtask test`: the release
//! bundle (WASM after `wasm-opt -Oz`, its JavaScript glue) and the stylesheet, gzipped at the
//! level the server's precompressed copies use, against the limits in `bundle-budget.toml`.
//! Growth fails the test command where it happens; when the bundle shrinks, lower the limits.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};

use crate::build::{self, Profile};
use crate::process::{cargo_target_dir, root};

const BUDGET_FILE: &str = "bundle-budget.toml";

/// What a page loads, by the budget file's key and the file in `pkg`.
const PARTS: [(&str, &str); 3] = [
    ("wasm_gzip_kb", "atelier.wasm"),
    ("js_gzip_kb", "atelier.js"),
    ("css_gzip_kb", "atelier.css"),
];

pub fn check() -> anyhow::Result<()> {
    let limits = read_limits(&root().join(BUDGET_FILE))?;
    // Its own directory: the browser tests serve the debug bundle from target/site.
    let pkg = cargo_target_dir().join("bundle-budget/pkg");
    std::fs::create_dir_all(&pkg)?;
    build::bundle(Profile::Release, &pkg)?;
    std::fs::copy(root().join("style/main.css"), pkg.join("atelier.css"))
        .context("copying style/main.css")?;

    let mut over = Vec::new();
    let mut total = 0;
    for (key, file) in PARTS {
        let size = gzipped_kb(&pkg.join(file))?;
        total += size;
        let limit = limit(&limits, key)?;
        eprintln!("xtask: bundle budget: {file} {size} KB gzipped (limit {limit} KB)");
        if size > limit {
            over.push(format!("{file} is {size} KB gzipped, over its {limit} KB"));
        }
    }
    let limit = limit(&limits, "total_gzip_kb")?;
    eprintln!(
        "xtask: bundle budget: everything a page loads {total} KB gzipped (limit {limit} KB)"
    );
    if total > limit {
        over.push(format!("a page loads {total} KB gzipped, over the {limit} KB total"));
    }
    if !over.is_empty() {
        bail!(
            "the browser bundle is over its budget ({BUDGET_FILE}):\n  {}\nShrink it, or raise \
             the limit in {BUDGET_FILE} with the reason in the commit.",
            over.join("\n  ")
        );
    }
    Ok(())
}

fn gzipped_kb(path: &Path) -> anyhow::Result<u64> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes)?;
    Ok((gzip.finish()?.len() as u64).div_ceil(1024))
}

fn limit(limits: &[(String, u64)], key: &str) -> anyhow::Result<u64> {
    limits
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
        .with_context(|| format!("{BUDGET_FILE} has no {key}"))
}

/// `key = number` lines; `#` starts a comment.
fn read_limits(path: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut limits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let parsed = line.split_once('=').and_then(|(key, value)| {
            Some((key.trim().to_owned(), value.trim().replace('_', "").parse().ok()?))
        });
        match parsed {
            Some(limit) => limits.push(limit),
            None => {
                bail!("{}:{}: expected `key = kilobytes`, found {line:?}", path.display(), n + 1)
            }
        }
    }
    Ok(limits)
}
