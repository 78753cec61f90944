//! `atl`: Atelier from the command line, through the management API (`/api/v1`). Its commands
//! follow the Azure CLI's that seed 003 uses (`az ml workspace share`, `az role definition
//! create`), with `atl` for `az` / `az ml`.

mod client;
mod config;
mod context;
mod failure;
mod groups;
mod invitations;
mod output;
mod resource_groups;
mod roles;
mod tokens;
mod workspaces;

use clap::{Parser, Subcommand};

use failure::Failure;
use output::Format;

#[derive(Parser)]
#[command(name = "atl", version, about = "Atelier from the command line", long_about = None)]
struct Cli {
    /// How to print answers.
    #[arg(long, short = 'o', global = true, value_enum, default_value = "table")]
    output: Format,
    /// The organization to act in (else the one `atl login` saved, or the only one there is).
    #[arg(long, global = true, env = "ATELIER_ORGANIZATION")]
    organization: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Saves the server's address and an access token (checked first) for later commands.
    Login {
        /// Atelier's address, such as https://atelier.example.com.
        #[arg(long, env = "ATELIER_URL")]
        url: String,
        /// An access token (atl_…) from the Access tokens page.
        #[arg(long, env = "ATELIER_TOKEN", hide_env_values = true)]
        token: String,
    },
    /// Forgets the saved address and token.
    Logout,
    /// Resource groups (the Azure CLI's `az group`).
    #[command(subcommand)]
    ResourceGroup(resource_groups::Command),
    /// Workspaces: create, list, show, delete, share.
    #[command(subcommand)]
    Workspace(workspaces::Command),
    /// Role definitions and role assignments.
    #[command(subcommand)]
    Role(roles::Command),
    /// Groups (teams) and their members.
    #[command(subcommand)]
    Group(groups::Command),
    /// Invitations pending at a scope.
    #[command(subcommand)]
    Invitation(invitations::Command),
    /// Your access tokens.
    #[command(subcommand)]
    Token(tokens::Command),
}

fn main() {
    let cli = Cli::parse();
    if let Err(failure) = run(cli) {
        eprintln!("error: {failure}");
        std::process::exit(failure.code);
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Login { url, token } => context::login(&url, &token, cli.organization),
        Command::Logout => context::logout(),
        Command::ResourceGroup(command) => {
            resource_groups::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
        Command::Workspace(command) => {
            workspaces::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
        Command::Role(command) => {
            roles::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
        Command::Group(command) => {
            groups::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
        Command::Invitation(command) => {
            invitations::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
        Command::Token(command) => {
            tokens::run(&context::Context::new(cli.output, cli.organization)?, command)
        }
    }
}
