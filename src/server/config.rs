//! Settings: built-in defaults, overridden by an optional TOML file, overridden by `ATELIER_*`
//! environment variables.

use anyhow::{bail, Context};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use url::Url;

pub const USAGE: &str = "\
Atelier: a self-hosted workspace for machine-learning teams.

Usage: atelier [--config FILE]
       atelier seed-demo [--config FILE] [--owner EMAIL] [--if-fresh]
                         [--scale RUNS [--points N] [--tenants N]]

Options:
  --config FILE   Read settings from FILE (TOML). Default: ./atelier.toml if it exists.
  -h, --help      Print this help.
  -V, --version   Print the version.

seed-demo fills the organization \"demo-lab\" with workspaces, experiments and runs with
metric curves, owned by EMAIL's account, or by a new demo@example.com account whose password
it prints once. With --if-fresh it does nothing unless the instance has no account yet (so a
first start shows a living studio, and an instance in use is left alone).
--scale adds a workspace benchmarks/scale with RUNS runs of N loss points each (default 50),
and --tenants N more organizations (tenant-000, …) with ten workspaces each.

Settings (environment variables override the file; the file uses the names in brackets):
  ATELIER_DATABASE_URL [database_url]  sqlite://… or postgres://…
                                      default: sqlite://<data dir>/atelier.db
  ATELIER_LISTEN       [listen]        address:port to listen on; default: 127.0.0.1:3000
  ATELIER_BASE_URL     [base_url]      public URL used in links and to decide whether cookies
                                      are Secure; default: http://<listen address>
  ATELIER_DATA_DIR     [data_dir]      where the embedded database lives; default: ./data
  ATELIER_SITE_ROOT    [site_root]     the built browser bundle (pkg/) and public files;
                                      default: ./target/site
  ATELIER_SESSION_IDLE_MINUTES [session_idle_minutes]
                                      sign out after this long without a request; default: 720
  ATELIER_SESSION_ABSOLUTE_HOURS [session_absolute_hours]
                                      sign out this long after signing in, however active;
                                      default: 168 (a week)
  ATELIER_WORKSPACE_RETENTION_DAYS [workspace_retention_days]
                                      how long a deleted workspace can be restored; default: 14
  ATELIER_RUN_RETENTION_DAYS [run_retention_days]
                                      how long runs and experiments deleted through the
                                      tracking API can be restored; default: 30
  ATELIER_DATABASE_MAX_CONNECTIONS [database_max_connections]
                                      size of the database connection pool; default: 10
  ATELIER_ADMIN_SETUP_TOKEN [admin_setup_token]
                                      listening beyond loopback, the token of the link that
                                      makes a signed-in person the administrator; default: a
                                      new one printed in the log at each start
  ATELIER_SECRET_KEY   [secret_key]    64 hex digits: the key that encrypts secrets at rest;
                                      default: generated once into <data dir>/secret.key
  ATELIER_INVITATION_DAYS [invitation_days]
                                      how long an invitation link works; default: 7
  ATELIER_SMTP_HOST    [smtp_host]     mail server for invitations; without it, mail stays in
                                      the outbox (admin page) and inviters copy links
  ATELIER_SMTP_PORT    [smtp_port]     default: 587 (starttls), 465 (tls), 25 (none)
  ATELIER_SMTP_SECURITY [smtp_security] starttls, tls or none; default: starttls
  ATELIER_SMTP_USERNAME [smtp_username]
  ATELIER_SMTP_PASSWORD [smtp_password]
  ATELIER_MAIL_FROM    [mail_from]     sender address; default: Atelier <atelier@localhost>
  RUST_LOG                            log filter, e.g. info or atelier=debug; default: info
";

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen: SocketAddr,
    /// `None` means "whatever address we end up bound to" (useful with port 0).
    pub base_url: Option<Url>,
    pub data_dir: PathBuf,
    pub site_root: PathBuf,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub workspace_retention_days: i64,
    pub run_retention_days: i64,
    pub database_max_connections: u32,
    pub secret_key: Option<String>,
    pub admin_setup_token: Option<String>,
    pub invitation_days: i64,
    pub smtp: Option<SmtpSettings>,
    pub mail_from: String,
}

/// Secrets stay out of logs: the key and setup token are shown as set or not, the database
/// URL without its password.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |value: &Option<String>| if value.is_some() { "(set)" } else { "(not set)" };
        f.debug_struct("Settings")
            .field("database_url", &without_password(&self.database_url))
            .field("listen", &self.listen)
            .field("base_url", &self.base_url)
            .field("data_dir", &self.data_dir)
            .field("site_root", &self.site_root)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("workspace_retention_days", &self.workspace_retention_days)
            .field("run_retention_days", &self.run_retention_days)
            .field("database_max_connections", &self.database_max_connections)
            .field("secret_key", &set(&self.secret_key))
            .field("admin_setup_token", &set(&self.admin_setup_token))
            .field("invitation_days", &self.invitation_days)
            .field("smtp", &self.smtp)
            .field("mail_from", &self.mail_from)
            .finish()
    }
}

/// A database URL with any password replaced.
pub fn without_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    StartTls,
    Tls,
    /// Plain text: for a relay on the same host or a test sink.
    None,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// The password stays out of logs.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// The file's shape: every key optional. (No `Debug`: it holds secrets as read.)
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    listen: Option<String>,
    base_url: Option<String>,
    data_dir: Option<PathBuf>,
    site_root: Option<PathBuf>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    workspace_retention_days: Option<i64>,
    run_retention_days: Option<i64>,
    database_max_connections: Option<i64>,
    secret_key: Option<String>,
    admin_setup_token: Option<String>,
    invitation_days: Option<i64>,
    smtp_host: Option<String>,
    smtp_port: Option<i64>,
    smtp_security: Option<String>,
    smtp_username: Option<String>,
    smtp_password: Option<String>,
    mail_from: Option<String>,
}

impl Settings {
    /// Settings for `config_file` (or `./atelier.toml` when present) and the process environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let file = match config_file {
            Some(path) => read_file(path)?,
            None if Path::new("atelier.toml").exists() => read_file(Path::new("atelier.toml"))?,
            None => FileSettings::default(),
        };
        Self::resolve(file, |name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn resolve(file: FileSettings, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let data_dir = env("ATELIER_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = env("ATELIER_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("atelier.db").display()));
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            bail!("ATELIER_DATABASE_URL must start with sqlite:// or postgres://");
        }
        let listen =
            env("ATELIER_LISTEN").or(file.listen).unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let listen = listen
            .parse()
            .with_context(|| format!("ATELIER_LISTEN {listen:?} is not an address:port"))?;
        let base_url = env("ATELIER_BASE_URL")
            .or(file.base_url)
            .map(|raw| Url::parse(&raw).with_context(|| format!("ATELIER_BASE_URL {raw:?}")))
            .transpose()?;
        let site_root = env("ATELIER_SITE_ROOT")
            .or_else(|| env("LEPTOS_SITE_ROOT"))
            .map(PathBuf::from)
            .or(file.site_root)
            .unwrap_or_else(|| PathBuf::from("target/site"));
        let session_idle_minutes = number(
            "ATELIER_SESSION_IDLE_MINUTES",
            env("ATELIER_SESSION_IDLE_MINUTES"),
            file.session_idle_minutes,
            12 * 60,
            1,
        )?;
        let session_absolute_hours = number(
            "ATELIER_SESSION_ABSOLUTE_HOURS",
            env("ATELIER_SESSION_ABSOLUTE_HOURS"),
            file.session_absolute_hours,
            168,
            1,
        )?;
        let workspace_retention_days = number(
            "ATELIER_WORKSPACE_RETENTION_DAYS",
            env("ATELIER_WORKSPACE_RETENTION_DAYS"),
            file.workspace_retention_days,
            14,
            0,
        )?;
        let run_retention_days = number(
            "ATELIER_RUN_RETENTION_DAYS",
            env("ATELIER_RUN_RETENTION_DAYS"),
            file.run_retention_days,
            30,
            0,
        )?;
        let database_max_connections = number(
            "ATELIER_DATABASE_MAX_CONNECTIONS",
            env("ATELIER_DATABASE_MAX_CONNECTIONS"),
            file.database_max_connections,
            10,
            1,
        )?;
        let invitation_days = number(
            "ATELIER_INVITATION_DAYS",
            env("ATELIER_INVITATION_DAYS"),
            file.invitation_days,
            7,
            1,
        )?;
        let smtp = match env("ATELIER_SMTP_HOST").or(file.smtp_host) {
            None => None,
            Some(host) => {
                let security = match env("ATELIER_SMTP_SECURITY")
                    .or(file.smtp_security)
                    .as_deref()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    None | Some("starttls") => SmtpSecurity::StartTls,
                    Some("tls") => SmtpSecurity::Tls,
                    Some("none") => SmtpSecurity::None,
                    Some(other) => {
                        bail!("ATELIER_SMTP_SECURITY {other:?} must be starttls, tls or none")
                    }
                };
                let default_port = match security {
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::None => 25,
                };
                let port = number(
                    "ATELIER_SMTP_PORT",
                    env("ATELIER_SMTP_PORT"),
                    file.smtp_port,
                    default_port,
                    1,
                )?;
                Some(SmtpSettings {
                    host,
                    port: u16::try_from(port).context("ATELIER_SMTP_PORT must be at most 65535")?,
                    security,
                    username: env("ATELIER_SMTP_USERNAME").or(file.smtp_username),
                    password: env("ATELIER_SMTP_PASSWORD").or(file.smtp_password),
                })
            }
        };
        Ok(Self {
            secret_key: env("ATELIER_SECRET_KEY").or(file.secret_key),
            admin_setup_token: env("ATELIER_ADMIN_SETUP_TOKEN")
                .or(file.admin_setup_token)
                .filter(|t| !t.trim().is_empty()),
            invitation_days,
            smtp,
            mail_from: env("ATELIER_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Atelier <atelier@localhost>".to_owned()),
            database_url,
            listen,
            base_url,
            data_dir,
            site_root,
            session_idle_minutes,
            session_absolute_hours,
            workspace_retention_days,
            run_retention_days,
            database_max_connections: u32::try_from(database_max_connections)
                .context("ATELIER_DATABASE_MAX_CONNECTIONS is too large")?,
        })
    }
}

/// A whole-number setting: the environment's text, else the file's value, else `default`.
fn number(
    name: &str,
    from_env: Option<String>,
    from_file: Option<i64>,
    default: i64,
    min: i64,
) -> anyhow::Result<i64> {
    let value = match from_env {
        Some(raw) => {
            raw.trim().parse().with_context(|| format!("{name} must be a whole number"))?
        }
        None => from_file.unwrap_or(default),
    };
    if value < min {
        bail!("{name} must be at least {min}");
    }
    Ok(value)
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing config file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(file: &str, env: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::resolve(toml::from_str(file)?, |name| env.get(name).cloned())
    }

    #[test]
    fn debug_output_names_no_secret() {
        let env = [
            ("ATELIER_DATABASE_URL", "postgres://atelier:pa55word@db/atelier"),
            (
                "ATELIER_SECRET_KEY",
                "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
            ),
            ("ATELIER_ADMIN_SETUP_TOKEN", "setup-token-value"),
            ("ATELIER_SMTP_HOST", "mail"),
            ("ATELIER_SMTP_PASSWORD", "hunter2"),
        ];
        let shown = format!("{:?}", resolve("", &env).unwrap());
        for secret in ["pa55word", "00112233", "setup-token-value", "hunter2"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("postgres://atelier:redacted@db/atelier"), "{shown}");
    }

    #[test]
    fn defaults_are_an_embedded_database_on_localhost() {
        let settings = resolve("", &[]).unwrap();
        assert_eq!(settings.database_url, "sqlite://data/atelier.db");
        assert_eq!(settings.listen.to_string(), "127.0.0.1:3000");
        assert!(settings.base_url.is_none());
    }

    #[test]
    fn environment_overrides_the_file() {
        let file = "listen = \"127.0.0.1:4000\"\ndata_dir = \"/srv/atelier\"";
        let settings = resolve(file, &[("ATELIER_LISTEN", "0.0.0.0:5000")]).unwrap();
        assert_eq!(settings.listen.to_string(), "0.0.0.0:5000");
        assert_eq!(settings.database_url, "sqlite:///srv/atelier/atelier.db");
    }

    #[test]
    fn smtp_is_off_unless_a_host_is_given_and_ports_follow_the_security() {
        assert!(resolve("", &[]).unwrap().smtp.is_none());
        let smtp =
            resolve("smtp_host = \"mail\"\nsmtp_security = \"tls\"", &[]).unwrap().smtp.unwrap();
        assert_eq!((smtp.port, smtp.security), (465, SmtpSecurity::Tls));
        assert!(resolve("smtp_host = \"mail\"\nsmtp_security = \"ssl3\"", &[]).is_err());
        let with_password =
            resolve("", &[("ATELIER_SMTP_HOST", "m"), ("ATELIER_SMTP_PASSWORD", "hunter2")])
                .unwrap();
        assert!(!format!("{:?}", with_password.smtp).contains("hunter2"));
    }

    #[test]
    fn unknown_database_schemes_are_refused() {
        assert!(resolve("", &[("ATELIER_DATABASE_URL", "mysql://x")]).is_err());
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        assert!(resolve("colour = \"blue\"", &[]).is_err());
    }
}
