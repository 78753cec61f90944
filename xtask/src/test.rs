//! `cargo xtask test`: unit and integration tests on SQLite, the integration tests again on
//! Postgres when ATELIER_TEST_POSTGRES_URL is set, then the browser tests against the built app.

use crate::build::{self, Profile};
use crate::ensure;
use crate::process::{cargo, root, run};

pub fn all() -> anyhow::Result<()> {
    let chromium = ensure::chromium()?;
    let end2end = root().join("end2end");
    ensure::npm_packages(&end2end)?;

    run(cargo().args(["test", "--package", "atelier", "--features", "ssr"]))?;

    match std::env::var("ATELIER_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            eprintln!("xtask: integration tests on Postgres");
            run(cargo()
                .args(["test", "--package", "atelier", "--features", "ssr", "--test", "*"])
                .env("ATELIER_TEST_BACKEND", "postgres"))?;
        }
        _ => eprintln!(
            "xtask: ATELIER_TEST_POSTGRES_URL is not set: integration tests ran on SQLite only"
        ),
    }

    let built = build::all(Profile::Debug)?;
    run(std::process::Command::new("npm")
        .args(["test"])
        .current_dir(&end2end)
        .env("ATELIER_BIN", &built.server)
        .env("ATELIER_SITE_ROOT", &built.site_root)
        .env("CHROMIUM_PATH", chromium))
}
