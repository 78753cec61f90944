//! Where `atl login` keeps the server's address and the token: a JSON file readable by its
//! owner only (0600), at `$ATELIER_CONFIG`, else `$XDG_CONFIG_HOME/atelier/config.json`, else
//! `~/.config/atelier/config.json`. `ATELIER_URL` and `ATELIER_TOKEN` override it.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::failure::Failure;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Config {
    pub url: String,
    pub token: String,
    /// The organization commands act in when they name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

pub fn path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os("ATELIER_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".config"),
            None => {
                return Err(Failure::setup(
                    "Cannot tell where to keep the configuration: set ATELIER_CONFIG or HOME.",
                ))
            }
        },
    };
    Ok(base.join("atelier").join("config.json"))
}

/// The saved configuration with the environment's overrides; `None` fields when unset.
pub fn load() -> Result<Config, Failure> {
    let path = path()?;
    let mut config = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Failure::setup(format!("{} is not a configuration atl wrote: {e}", path.display()))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => return Err(Failure::setup(format!("Cannot read {}: {e}", path.display()))),
    };
    if let Some(url) = std::env::var("ATELIER_URL").ok().filter(|v| !v.is_empty()) {
        config.url = url;
    }
    if let Some(token) = std::env::var("ATELIER_TOKEN").ok().filter(|v| !v.is_empty()) {
        config.token = token;
    }
    if config.url.is_empty() || config.token.is_empty() {
        return Err(Failure::setup(
            "Not logged in: run `atl login --url https://… --token atl_…`, or set ATELIER_URL \
             and ATELIER_TOKEN.",
        ));
    }
    Ok(config)
}

/// Writes `config`, readable and writable by its owner only.
pub fn save(config: &Config) -> Result<PathBuf, Failure> {
    let path = path()?;
    let fail = |e: std::io::Error| Failure::setup(format!("Cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let text = serde_json::to_string_pretty(config)
        .map_err(|e| Failure::setup(format!("Cannot write the configuration: {e}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        // A file made before with wider permissions is narrowed too.
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(fail)?;
        }
    }
    let mut file = options.open(&path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.write_all(b"\n").map_err(fail)?;
    Ok(path)
}
