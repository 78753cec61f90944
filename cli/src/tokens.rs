//! `atl token …`: your access tokens.

use clap::Subcommand;
use serde_json::{json, Value};

use crate::context::Context;
use crate::failure::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Makes a token; its secret is printed this once.
    Create {
        #[arg(long)]
        name: String,
        /// everything (the default), /organizations/{org} or a workspace's path.
        #[arg(long, default_value = "everything")]
        reach: String,
        /// Only reading.
        #[arg(long)]
        read_only: bool,
        /// The last day it works (YYYY-MM-DD, UTC).
        #[arg(long)]
        ends_on: Option<String>,
    },
    /// Your tokens, newest first (never their secrets).
    List,
    /// Revokes a token by its id (from `list`).
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

const COLUMNS: &[(&str, &str)] = &[
    ("Id", "id"),
    ("Name", "name"),
    ("Hint", "hint"),
    ("Reach", "reach"),
    ("ReadOnly", "read_only"),
    ("Active", "active"),
    ("LastUsedFrom", "last_used_from"),
];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    let client = &context.client;
    match command {
        Command::Create { name, reach, read_only, ends_on } => {
            let body =
                json!({"name": name, "reach": reach, "read_only": read_only, "ends_on": ends_on});
            let created = client.post("/tokens", &body)?;
            match context.format {
                crate::output::Format::Json => context.print(&created, &[]),
                crate::output::Format::Table => {
                    println!("{}", created["secret"].as_str().unwrap_or_default());
                    eprintln!("Token {name} created: the secret above is shown this once.");
                }
            }
        }
        Command::List => {
            let items = client.all("/tokens", &[])?;
            context.print(&Value::Array(items), COLUMNS);
        }
        Command::Revoke { id } => {
            client.delete(&format!("/tokens/{id}"), &[])?;
            context.say(&format!("Revoked token {id}."));
        }
    }
    Ok(())
}
