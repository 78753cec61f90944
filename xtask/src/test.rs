//! `cargo xtask test`: unit and integration tests on SQLite, the integration tests again on
//! Postgres when ATELIER_TEST_POSTGRES_URL is set, then the browser tests against the built app
//! (on SQLite, and again on Postgres when that variable is set).

use crate::build::{self, Profile};
use crate::ensure;
use crate::process::{cargo, root, run};

pub fn all() -> anyhow::Result<()> {
    let chromium = ensure::chromium()?;
    let end2end = root().join("end2end");
    ensure::npm_packages(&end2end)?;

    run(cargo().args(["test", "--package", "atelier", "--features", "ssr"]))?;

    let postgres = std::env::var("ATELIER_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty());
    match &postgres {
        Some(_) => {
            eprintln!("xtask: integration tests on Postgres");
            run(cargo()
                .args(["test", "--package", "atelier", "--features", "ssr", "--test", "*"])
                .env("ATELIER_TEST_BACKEND", "postgres"))?;
        }
        None => eprintln!(
            "xtask: ATELIER_TEST_POSTGRES_URL is not set: integration and browser tests ran on SQLite only"
        ),
    }

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
        run(&mut command)
    };
    eprintln!("xtask: browser tests on SQLite");
    browser_tests(None)?;
    if let Some(url) = &postgres {
        eprintln!("xtask: browser tests on Postgres");
        browser_tests(Some(url))?;
    }
    Ok(())
}
