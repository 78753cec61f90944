use tracing_subscriber::EnvFilter;

/// Logs to stderr, filtered by `RUST_LOG` (default: info).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (as in tests that build several apps) keeps the first subscriber.
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// A request path as it may be logged: an invitation link's token replaced (query strings,
/// which may hold one too, are never logged).
pub fn loggable_path(path: &str) -> String {
    let secret = super::security_headers::SECRET_LINK_PREFIXES
        .iter()
        .find(|prefix| path.starts_with(*prefix));
    match secret {
        Some(prefix) => format!("{prefix}…"),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn invitation_tokens_stay_out_of_logged_paths() {
        assert_eq!(super::loggable_path("/invite/abcDEF123"), "/invite/…");
        assert_eq!(super::loggable_path("/setup/abcDEF123"), "/setup/…");
        assert_eq!(super::loggable_path("/organizations/x"), "/organizations/x");
    }
}
