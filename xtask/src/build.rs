//! The build pipeline cargo-leptos would run: the WASM library with `hydrate`, wasm-bindgen (the
//! library, pinned to the version in Cargo.lock), wasm-opt for release, the stylesheet and public
//! files, then the server binary with `ssr`. Output goes where `[package.metadata.leptos]` says.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ensure;
use crate::process::{cargo, cargo_target_dir, root, run};

/// `[package.metadata.leptos] output-name`, also set as LEPTOS_OUTPUT_NAME in .cargo/config.toml.
const OUTPUT_NAME: &str = "atelier";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

pub struct Built {
    pub server: PathBuf,
    pub site_root: PathBuf,
}

pub fn site_root() -> PathBuf {
    root().join("target/site")
}

pub fn all(profile: Profile) -> anyhow::Result<Built> {
    ensure::wasm_target()?;
    let site = site_root();
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg)?;

    let wasm = build_wasm(profile)?;
    bindgen(&wasm, &pkg)?;
    let bundle = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    if profile == Profile::Release {
        run(std::process::Command::new(ensure::wasm_opt()?)
            .arg("-Oz")
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-mutable-globals")
            .arg(&bundle)
            .arg("-o")
            .arg(&bundle))?;
    }
    report_size(&bundle)?;

    std::fs::copy(root().join("style/main.css"), pkg.join(format!("{OUTPUT_NAME}.css")))
        .context("copying style/main.css")?;
    copy_dir(&root().join("public"), &site)?;

    let mut server = cargo();
    server.args(["build", "--package", "atelier", "--bin", "atelier", "--features", "ssr"]);
    if profile == Profile::Release {
        server.arg("--release");
    }
    run(&mut server)?;
    let dir = if profile == Profile::Release { "release" } else { "debug" };
    Ok(Built { server: cargo_target_dir().join(dir).join("atelier"), site_root: site })
}

pub fn run_app(profile: Profile) -> anyhow::Result<()> {
    let built = all(profile)?;
    // On a first start (no accounts yet) fill a demo organization, so there is something to
    // browse; it prints how to sign in to it. Later starts leave the data alone.
    run(std::process::Command::new(&built.server).args(["seed-demo", "--if-fresh"]))?;
    run(std::process::Command::new(&built.server).env("ATELIER_SITE_ROOT", &built.site_root))
}

fn build_wasm(profile: Profile) -> anyhow::Result<PathBuf> {
    let mut command = cargo();
    command.args([
        "build",
        "--package",
        "atelier",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "hydrate",
    ]);
    let dir = match profile {
        Profile::Debug => "debug",
        Profile::Release => {
            command.args(["--profile", "wasm-release"]);
            "wasm-release"
        }
    };
    run(&mut command)?;
    Ok(cargo_target_dir().join("wasm32-unknown-unknown").join(dir).join("atelier.wasm"))
}

/// Generates `pkg/atelier.js` and the bundle, named `atelier.wasm` as Leptos expects when
/// LEPTOS_OUTPUT_NAME is set at compile time.
fn bindgen(wasm: &Path, pkg: &Path) -> anyhow::Result<()> {
    eprintln!("xtask: wasm-bindgen {}", wasm.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .out_name(OUTPUT_NAME)
        .web(true)?
        .typescript(false)
        .generate(pkg)
        .context("running wasm-bindgen")?;
    std::fs::rename(
        pkg.join(format!("{OUTPUT_NAME}_bg.wasm")),
        pkg.join(format!("{OUTPUT_NAME}.wasm")),
    )
    .context("renaming the bundle")?;
    Ok(())
}

fn report_size(bundle: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(bundle)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    let gzipped = gz.finish()?.len();
    eprintln!(
        "xtask: WASM bundle {}: {} KB raw, {} KB gzipped",
        bundle.display(),
        bytes.len() / 1024,
        gzipped / 1024
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
