//! Installing what the build and the tests need, skipping whatever is already there.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{root, run, succeeds};

pub fn wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup (is Rust installed with rustup?)")?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|l| l == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// `npm ci` in `dir` unless its node_modules already match its package-lock.json.
pub fn npm_packages(dir: &Path) -> anyhow::Result<()> {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .with_context(|| format!("reading {}/package-lock.json", dir.display()))?;
    let stamp = dir.join("node_modules/.atelier-installed-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }
    if !succeeds(Command::new("npm").arg("--version")) {
        bail!("npm is needed (Debian: apt-get install -y nodejs npm)");
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir))?;
    std::fs::write(&stamp, lock)?;
    Ok(())
}

/// The wasm-opt from npm's binaryen (Debian's is too old: its output fails to hydrate).
pub fn wasm_opt() -> anyhow::Result<PathBuf> {
    let dir = root().join("xtask/npm");
    npm_packages(&dir)?;
    Ok(dir.join("node_modules/.bin/wasm-opt"))
}

/// Debian's Chromium and ChromeDriver; browsers are never downloaded by test tools.
pub fn chromium() -> anyhow::Result<PathBuf> {
    if let Ok(path) = std::env::var("CHROMIUM_PATH") {
        return Ok(path.into());
    }
    let path = PathBuf::from("/usr/bin/chromium");
    if !path.exists() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok(path)
}

pub fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    let is_root =
        Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt = |args: &[&str]| {
        let mut command = if is_root { Command::new("apt-get") } else { Command::new("sudo") };
        if !is_root {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-qq"]))?;
    run(apt(&["install", "-y", "-qq"]).args(packages))
}

/// A Python virtual environment with the `mlflow` client from PyPI (pinned in
/// tests/mlflow/requirements.txt), for the tracking API's client tests; made again only when
/// the requirements change. Returns its `python`.
pub fn mlflow_python() -> anyhow::Result<PathBuf> {
    python_with("tests/mlflow/requirements.txt", "target/mlflow-venv")
}

/// A Python with `schemathesis` and `openapi-spec-validator`, for the API document's tests.
pub fn openapi_python() -> anyhow::Result<PathBuf> {
    python_with("tests/openapi/requirements.txt", "target/openapi-venv")
}

/// The Python of a virtual environment at `venv` with the packages `requirements` pins,
/// installed from PyPI unless they already are.
fn python_with(requirements: &str, venv: &str) -> anyhow::Result<PathBuf> {
    let requirements_path = root().join(requirements);
    let requirements = std::fs::read(&requirements_path)
        .with_context(|| format!("reading {}", requirements_path.display()))?;
    let venv = root().join(venv);
    let python = venv.join("bin/python");
    let stamp = venv.join(".atelier-installed-requirements");
    if python.exists() && std::fs::read(&stamp).is_ok_and(|installed| installed == requirements) {
        return Ok(python);
    }
    if !succeeds(Command::new("python3").args(["-m", "venv", "--help"])) {
        apt_install(&["python3", "python3-venv"])?;
    }
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements_path))?;
    std::fs::write(&stamp, requirements)?;
    Ok(python)
}
