//! `atl resource-group …` (the Azure CLI's `az group`; `atl group` is for teams).

use clap::Subcommand;
use serde_json::{json, Value};

use crate::client::segment;
use crate::context::Context;
use crate::failure::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Creates a resource group.
    Create {
        #[arg(long, short = 'n')]
        name: String,
    },
    /// The organization's resource groups you may read.
    List,
    /// Deletes a resource group that holds no workspace.
    Delete {
        #[arg(long, short = 'n')]
        name: String,
    },
}

const COLUMNS: &[(&str, &str)] = &[("Name", "name"), ("Organization", "organization")];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    let client = &context.client;
    let groups = format!("/organizations/{}/resourceGroups", segment(&context.organization(None)?));
    match command {
        Command::Create { name } => {
            let created = client.post(&groups, &json!({ "name": name }))?;
            context.print(&created, COLUMNS);
        }
        Command::List => context.print(&Value::Array(client.all(&groups, &[])?), COLUMNS),
        Command::Delete { name } => {
            client.delete(&format!("{groups}/{}", segment(&name)), &[])?;
            context.say(&format!("Deleted resource group {name}."));
        }
    }
    Ok(())
}
