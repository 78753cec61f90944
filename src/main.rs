use atelier::server::{config, demo, startup::Application, telemetry};
use std::path::PathBuf;
use std::process::ExitCode;

/// Allocation-heavy request handling (rendering, rows, JSON) runs faster on mimalloc than on
/// glibc's allocator, which a profile under load showed at about a quarter of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let mut config_file: Option<PathBuf> = None;
    let mut demo: Option<DemoOptions> = None;
    if args.peek().map(String::as_str) == Some("seed-demo") {
        args.next();
        demo = Some(DemoOptions::default());
    }
    while let Some(arg) = args.next() {
        if let Some(options) = demo.as_mut() {
            match options.read(&arg, &mut args) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(message) => return usage_error(&message),
            }
        }
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
        match demo {
            Some(options) => options.seed(&settings).await,
            None => Application::build(settings).await?.run_until_stopped().await,
        }
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

/// `seed-demo`'s options.
#[derive(Default)]
struct DemoOptions {
    owner: Option<String>,
    if_fresh: bool,
    scale: Option<u64>,
    points: Option<u32>,
    tenants: Option<u32>,
}

impl DemoOptions {
    /// Takes `arg` (and its value) if it is a seed-demo option.
    fn read(&mut self, arg: &str, rest: &mut impl Iterator<Item = String>) -> Result<bool, String> {
        let mut value = |name: &str| rest.next().ok_or_else(|| format!("{name} needs a value"));
        match arg {
            "--owner" => self.owner = Some(value("--owner")?),
            "--if-fresh" => self.if_fresh = true,
            "--scale" => {
                let runs = value("--scale")?;
                self.scale =
                    Some(runs.parse().map_err(|_| format!("--scale {runs:?} is not a count"))?);
            }
            "--points" => {
                let points = value("--points")?;
                self.points = Some(
                    points.parse().map_err(|_| format!("--points {points:?} is not a count"))?,
                );
            }
            "--tenants" => {
                let tenants = value("--tenants")?;
                self.tenants = Some(
                    tenants.parse().map_err(|_| format!("--tenants {tenants:?} is not a count"))?,
                );
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    async fn seed(self, settings: &config::Settings) -> anyhow::Result<()> {
        let pool = atelier::server::db::connect_and_migrate(&settings.database_url, 4).await?;
        let scale = self.scale.map(|runs| demo::ScaleOptions {
            runs,
            points_per_run: self.points.unwrap_or(50),
            tenants: self.tenants.unwrap_or(0),
        });
        if self.if_fresh && !demo::instance_is_fresh(&pool).await? {
            return Ok(());
        }
        let started = std::time::Instant::now();
        match demo::seed(&pool, &settings.data_dir, self.owner.as_deref(), scale).await {
            Ok(seeded) => {
                let mut report = format!(
                    "Seeded the demo organization at /organizations/{}: {} organizations, {} workspaces, {} runs, {} metric points, in {:.1} s.\n",
                    demo::DEMO_ORGANIZATION,
                    seeded.organizations,
                    seeded.workspaces,
                    seeded.runs,
                    seeded.metric_points,
                    started.elapsed().as_secs_f64()
                );
                report.push_str(&match seeded.new_password {
                    Some(password) => format!(
                        "Sign in as {} with the password {password} (shown only now).\n",
                        seeded.owner_email
                    ),
                    None => format!("It belongs to {}.\n", seeded.owner_email),
                });
                print_and_exit(&report);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}
