//! The browser bundle's post-processing, done once per bundle: wasm-bindgen, `wasm-opt -Oz` for
//! release, then a brotli and a gzip copy of every text-like site file, which the server sends
//! as they are (it compresses nothing per request). A stamp records the digest of the bundle
//! cargo produced and the profile; when both are unchanged and the outputs are there, the steps
//! are skipped, so starting again with nothing changed takes seconds, not minutes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::build::Profile;

/// Bookkeeping beside the outputs; the server ignores dot files.
const STAMP: &str = ".bundle-stamp";

/// What the stamp says for this input and profile.
pub fn stamp_of(wasm: &Path, profile: Profile) -> anyhow::Result<String> {
    let bytes = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    Ok(format!("{profile:?} {}\n", hex(&Sha256::digest(&bytes))))
}

/// Whether `pkg` already holds the outputs made from this stamp.
pub fn up_to_date(pkg: &Path, stamp: &str, outputs: &[PathBuf]) -> bool {
    std::fs::read_to_string(pkg.join(STAMP)).is_ok_and(|old| old == stamp)
        && outputs.iter().all(|output| output.exists())
}

pub fn record(pkg: &Path, stamp: &str) -> anyhow::Result<()> {
    std::fs::write(pkg.join(STAMP), stamp).context("writing the bundle's stamp")
}

/// Forgets the stamp before the outputs change, so an interrupted build is redone.
pub fn invalidate(pkg: &Path) {
    let _ = std::fs::remove_file(pkg.join(STAMP));
}

/// Writes `<file>.br` and `<file>.gz` beside every compressible file below `dir`, unless they
/// are newer than it already. Release builds compress hardest (brotli 11): done once per
/// bundle, it saves every visitor's transfer; debug builds take a quick level.
pub fn precompress(dir: &Path, profile: Profile) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path, profile)?;
        } else if compressible(&path) {
            compress(&path, profile)?;
        }
    }
    Ok(())
}

fn compressible(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    !name.starts_with('.')
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "mjs" | "wasm" | "css" | "svg" | "json" | "txt" | "html")
        )
}

fn compress(path: &Path, profile: Profile) -> anyhow::Result<()> {
    let brotli_path = with_suffix(path, "br");
    let gzip_path = with_suffix(path, "gz");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let source_time = modified(path);
    let fresh = |p: &Path| modified(p).zip(source_time).is_some_and(|(out, src)| out >= src);
    if fresh(&brotli_path) && fresh(&gzip_path) {
        return Ok(());
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (brotli_quality, gzip_level) = match profile {
        Profile::Release => (11, flate2::Compression::best()),
        Profile::Debug => (4, flate2::Compression::fast()),
    };
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, brotli_quality, 22);
        writer.write_all(&bytes)?;
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), gzip_level);
    gzip.write_all(&bytes)?;
    std::fs::write(&brotli_path, brotli)?;
    std::fs::write(&gzip_path, gzip.finish()?)?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
