//! The project's build and test driver: `cargo xtask <command>`. It replaces cargo-leptos for
//! the two README commands, using only what crates.io, npm and Debian provide.

mod assets;
mod bench;
mod budget;
mod build;
mod ensure;
mod process;
mod test;
mod test_databases;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  run [--debug]      Build everything (release unless --debug) and start the server.
  build [--debug]    Build the browser bundle and the server (release unless --debug).
  test               Install what the tests need, then run unit, integration and browser tests,
                     and check the release bundle against bundle-budget.toml.
  budget             Only that check: the release bundle against bundle-budget.toml.
                     Integration tests run on Postgres too when ATELIER_TEST_POSTGRES_URL is set.
  bench [--scale small|full] [--duration SECS] [--warmup SECS] [--connections N]
        [--threads N] [--no-mlflow] [--no-build] [--strict]
                     Build the release, load the benchmark data (cached in target/bench), run
                     every workload against Atelier and MLflow's own tracking server, print the
                     table and write BENCHMARKS.md. Defaults: full scale, 15 s a workload after
                     2 s of warm-up, 50 connections, 2 threads. --no-build takes the last
                     release build as it is; --strict fails when a target is missed.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["build", rest @ ..] => profile(rest).and_then(|p| build::all(p).map(drop)),
        ["run", rest @ ..] => profile(rest).and_then(build::run_app),
        ["test"] => test::all(),
        ["budget"] => budget::check(),
        ["bench", rest @ ..] => bench::run(rest),
        ["-h" | "--help" | "help"] | [] => {
            eprint!("{USAGE}");
            Ok(())
        }
        _ => Err(anyhow::anyhow!("unknown command {args:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn profile(args: &[&str]) -> anyhow::Result<build::Profile> {
    match args {
        [] => Ok(build::Profile::Release),
        ["--debug"] => Ok(build::Profile::Debug),
        ["--release"] => Ok(build::Profile::Release),
        other => anyhow::bail!("unknown options {other:?}\n\n{USAGE}"),
    }
}
