use atelier::server::{config, startup::Application, telemetry};
use std::path::PathBuf;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut config_file: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return print_and_exit(config::USAGE),
            "-V" | "--version" => {
                return print_and_exit(&format!("atelier {}\n", env!("CARGO_PKG_VERSION")))
            }
            "--config" => match args.next() {
                Some(path) => config_file = Some(path.into()),
                None => return usage_error("--config needs a file name"),
            },
            other => return usage_error(&format!("unknown argument {other:?}")),
        }
    }

    telemetry::init();
    let result = async {
        let settings = config::Settings::load(config_file.as_deref())?;
        Application::build(settings).await?.run_until_stopped().await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_and_exit(text: &str) -> ExitCode {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("atelier: {message}\n\n{}", config::USAGE);
    ExitCode::from(2)
}
