//! The build pipeline cargo-leptos would run: the WASM library with `hydrate`, wasm-bindgen (the
//! library, pinned to the version in Cargo.lock), wasm-opt for release (both skipped when the
//! bundle did not change), the stylesheet and public files with their precompressed copies, then
//! the server binary with `ssr`. Output goes where `[package.metadata.leptos]` says.

use anyhow::Context;
use std::path::{Path, PathBuf};

use crate::process::{cargo, cargo_target_dir, root, run};
use crate::{assets, ensure};

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
    let site = site_root();
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg)?;

    let bundle = bundle(profile, &pkg)?;

    copy_if_changed(&root().join("style/main.css"), &pkg.join(format!("{OUTPUT_NAME}.css")))
        .context("copying style/main.css")?;
    copy_dir(&root().join("public"), &site)?;
    api_reference_assets(&site)?;
    assets::precompress(&site, profile)?;
    report_size(&bundle)?;

    let mut server = cargo();
    server.args(["build", "--package", "atelier", "--bin", "atelier", "--features", "ssr"]);
    if profile == Profile::Release {
        server.arg("--release");
    }
    run(&mut server)?;
    let dir = if profile == Profile::Release { "release" } else { "debug" };
    Ok(Built { server: cargo_target_dir().join(dir).join("atelier"), site_root: site })
}

/// Swagger UI's files from npm (`swagger-ui-dist`, pinned in xtask/npm), for the API's
/// reference page at /api/v1/reference: served by Atelier, so it works offline.
fn api_reference_assets(site: &Path) -> anyhow::Result<()> {
    let npm = root().join("xtask/npm");
    ensure::npm_packages(&npm)?;
    let dist = npm.join("node_modules/swagger-ui-dist");
    let to = site.join("api-reference");
    std::fs::create_dir_all(&to)?;
    for file in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-bundle.js.LICENSE.txt"] {
        copy_if_changed(&dist.join(file), &to.join(file))
            .with_context(|| format!("copying swagger-ui-dist/{file}"))?;
    }
    Ok(())
}

/// Builds the WASM library and makes `pkg/atelier.wasm` and `pkg/atelier.js` of it (optimised
/// for release), unless `pkg` already holds them for the same library. Returns the bundle.
pub fn bundle(profile: Profile, pkg: &Path) -> anyhow::Result<PathBuf> {
    ensure::wasm_target()?;
    let wasm = build_wasm(profile)?;
    let bundle = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    let script = pkg.join(format!("{OUTPUT_NAME}.js"));
    let stamp = assets::stamp_of(&wasm, profile)?;
    if assets::up_to_date(pkg, &stamp, &[bundle.clone(), script]) {
        eprintln!("xtask: the browser bundle is unchanged since the last build: kept");
        return Ok(bundle);
    }
    assets::invalidate(pkg);
    bindgen(&wasm, pkg)?;
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
    assets::record(pkg, &stamp)?;
    Ok(bundle)
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

/// The bundle's size as browsers receive it (the precompressed copies the server sends).
fn report_size(bundle: &Path) -> anyhow::Result<()> {
    let size = |suffix: &str| {
        let mut name = bundle.as_os_str().to_owned();
        name.push(suffix);
        std::fs::metadata(PathBuf::from(name)).map(|m| m.len() / 1024)
    };
    eprintln!(
        "xtask: WASM bundle {}: {} KB raw, {} KB gzipped, {} KB brotli",
        bundle.display(),
        size("")?,
        size(".gz")?,
        size(".br")?
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
            copy_if_changed(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Copies unless the target already holds the same bytes, so an unchanged file keeps its time
/// and its compressed copies are not made again.
fn copy_if_changed(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if std::fs::read(to).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::write(to, bytes).with_context(|| format!("writing {}", to.display()))?;
    }
    Ok(())
}
