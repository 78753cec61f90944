//! The integration tests make a Postgres database per test (`atelier_test_*`) and drop each as
//! its test ends (tests/api/helpers.rs); what an interrupted run, or a process that exited
//! before its last drops, left behind is dropped here, before the pass and after it, with `psql`.

use std::process::Command;

/// Drops the test databases the role of `url` owns. Failing to (no `psql`, say) only warns:
/// the tests' results do not depend on it.
pub fn drop_all(url: &str) {
    let listed = Command::new("psql")
        .args([url, "-Atqc"])
        .arg(
            "SELECT datname FROM pg_database WHERE datname LIKE 'atelier\\_test\\_%' \
             AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)",
        )
        .output();
    let names = match listed {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        _ => {
            eprintln!("xtask: could not list leftover test databases (is psql installed?)");
            return;
        }
    };
    let names: Vec<&str> = names.lines().filter(|n| !n.trim().is_empty()).collect();
    if names.is_empty() {
        return;
    }
    let mut drop = Command::new("psql");
    drop.args([url, "-q"]);
    for name in &names {
        // The names come from the server and match atelier_test_[0-9a-f]+: safe to quote.
        drop.arg("-c").arg(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
    match drop.status() {
        Ok(status) if status.success() => {
            eprintln!("xtask: dropped {} test databases", names.len())
        }
        _ => eprintln!("xtask: could not drop every leftover test database"),
    }
}
