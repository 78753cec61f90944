//! The integration tests make a Postgres database per test (`atelier_test_*`) and drop each as
//! its test ends (tests/api/test_databases.rs); what an interrupted run, or a process that exited
//! before its last drops, left behind is dropped here, before the pass and after it, with `psql`.

use std::process::Command;

/// Drops the test databases the role of `url` owns. Failing to (no `psql`, say) only warns:
/// the tests' results do not depend on it.
pub fn drop_all(url: &str) {
    let Some(names) = listed_names(url) else {
        eprintln!("xtask: could not list leftover test databases (is psql installed?)");
        return;
    };
    if names.is_empty() {
        return;
    }
    // A plain DROP first: it ends autovacuum in the database, where `WITH (FORCE)` refuses to
    // a role that is not a superuser; FORCE then for a database someone still holds open.
    let mut drop = Command::new("psql");
    drop.args([url, "-q"]);
    for name in &names {
        // The names come from the server and match atelier_test_[0-9a-f]+: safe to quote.
        drop.arg("-c").arg(format!("DROP DATABASE IF EXISTS \"{name}\""));
        drop.arg("-c").arg(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
    // Errors of the first try are expected and not the story: what is left afterwards is.
    let _ = drop.stderr(std::process::Stdio::null()).status();
    let left = listed_names(url).map(|left| left.len()).unwrap_or(names.len());
    if left == 0 {
        eprintln!("xtask: dropped {} test databases", names.len());
    } else {
        eprintln!("xtask: {left} of {} leftover test databases could not be dropped", names.len());
    }
}

/// The test databases the role of `url` owns, or None when `psql` cannot say.
fn listed_names(url: &str) -> Option<Vec<String>> {
    let out = Command::new("psql")
        .args([url, "-Atqc"])
        .arg(
            "SELECT datname FROM pg_database WHERE datname LIKE 'atelier\\_test\\_%' \
             AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)",
        )
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect())
}
