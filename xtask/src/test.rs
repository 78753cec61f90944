//! `cargo xtask test`: unit and integration tests on SQLite, the integration tests again on
//! Postgres when ATELIER_TEST_POSTGRES_URL is set, then the browser tests against the built app
//! (on SQLite, and at the same time on Postgres when that variable is set). Before those, the
//! release bundle's gzipped size is checked against `bundle-budget.toml`.

use anyhow::Context;

use crate::build::{self, Profile};
use crate::ensure;
use crate::process::{cargo, root, run};

pub fn all() -> anyhow::Result<()> {
    let chromium = ensure::chromium()?;
    let end2end = root().join("end2end");
    ensure::npm_packages(&end2end)?;
    // The integration tests run the real MLflow client against the tracking API.
    let mlflow_python = ensure::mlflow_python()?;
    std::env::set_var("ATELIER_MLFLOW_PYTHON", &mlflow_python);
    // ... and the OpenAPI document's validator and schemathesis against /api/v1.
    std::env::set_var("ATELIER_OPENAPI_PYTHON", ensure::openapi_python()?);
    // The command line's own tests, then its binary for the integration tests to run.
    run(cargo().args(["test", "--package", "atl"]))?;
    run(cargo().args(["build", "--package", "atl"]))?;
    std::env::set_var("ATELIER_CLI", crate::process::cargo_target_dir().join("debug/atl"));

    run(cargo().args(["test", "--package", "atelier", "--features", "ssr"]))?;

    let postgres = std::env::var("ATELIER_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty());
    match &postgres {
        Some(url) => {
            eprintln!("xtask: integration tests on Postgres");
            crate::test_databases::drop_all(url);
            let passed = run(cargo()
                .args(["test", "--package", "atelier", "--features", "ssr", "--test", "*"])
                .env("ATELIER_TEST_BACKEND", "postgres"));
            crate::test_databases::drop_all(url);
            passed?;
        }
        None => eprintln!(
            "xtask: ATELIER_TEST_POSTGRES_URL is not set: integration and browser tests ran on SQLite only"
        ),
    }

    // The release bundle's size against bundle-budget.toml, before the browser tests build
    // the debug one.
    crate::budget::check()?;

    let built = build::all(Profile::Debug)?;
    let browser_tests = |postgres: Option<&str>| {
        let mut command = std::process::Command::new("npm");
        command
            .args(["test"])
            .current_dir(&end2end)
            .env("ATELIER_BIN", &built.server)
            .env("ATELIER_SITE_ROOT", &built.site_root)
            .env("CHROMIUM_PATH", &chromium)
            .env_remove("ATELIER_E2E_POSTGRES_URL");
        if let Some(url) = postgres {
            command.env("ATELIER_E2E_POSTGRES_URL", url);
        }
        command
    };
    let Some(url) = &postgres else {
        eprintln!("xtask: browser tests on SQLite");
        return run(&mut browser_tests(None));
    };
    // The two backends' passes run side by side (each test file starts its own server and
    // browser); the Postgres pass writes to a log shown once it ends, so reports do not mix.
    let log_path = crate::process::cargo_target_dir().join("browser-tests-postgres.log");
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    eprintln!("xtask: browser tests on Postgres (in the background, to {})", log_path.display());
    let mut on_postgres = browser_tests(Some(url))
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting the browser tests on Postgres")?;
    eprintln!("xtask: browser tests on SQLite");
    let on_sqlite = run(&mut browser_tests(None));
    let postgres_status =
        on_postgres.wait().context("waiting for the browser tests on Postgres")?;
    eprintln!("xtask: browser tests on Postgres:");
    eprintln!("{}", std::fs::read_to_string(&log_path).unwrap_or_default());
    on_sqlite?;
    if !postgres_status.success() {
        anyhow::bail!("the browser tests on Postgres failed ({postgres_status})");
    }
    Ok(())
}
