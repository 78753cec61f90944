//! `atl group …`: seed 001's administrators / data scientists teams.

use clap::Subcommand;
use serde_json::{json, Value};

use crate::client::segment;
use crate::context::Context;
use crate::failure::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Creates a group with no members.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// The organization's groups and their members.
    List,
    /// One group and its members.
    Show {
        #[arg(long)]
        name: String,
    },
    /// Puts a member of the organization in a group.
    AddMember {
        #[arg(long)]
        group: String,
        /// Their address (or a service principal's identity).
        #[arg(long)]
        email: String,
        /// May add and remove the group's members too.
        #[arg(long)]
        manager: bool,
    },
    /// Takes someone out of a group.
    RemoveMember {
        #[arg(long)]
        group: String,
        #[arg(long)]
        email: String,
    },
    /// Deletes a group.
    Delete {
        #[arg(long)]
        name: String,
        /// Remove the roles it holds too (else a group holding roles is not deleted).
        #[arg(long)]
        remove_access: bool,
    },
}

const COLUMNS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("Members", "member_list"),
    ("RoleAssignments", "role_assignments"),
    ("Description", "description"),
];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    let client = &context.client;
    let groups = format!("/organizations/{}/groups", segment(&context.organization(None)?));
    match command {
        Command::Create { name, description } => {
            let created =
                client.post(&groups, &json!({"name": name, "description": description}))?;
            show(context, created);
        }
        Command::List => {
            let items = client.all(&groups, &[])?;
            let items = items.into_iter().map(|g| for_output(context, g)).collect();
            context.print(&Value::Array(items), COLUMNS);
        }
        Command::Show { name } => {
            show(context, client.get(&format!("{groups}/{}", segment(&name)), &[])?)
        }
        Command::AddMember { group, email, manager } => {
            let path = format!("{groups}/{}/members", segment(&group));
            let changed = client.post(&path, &json!({"email": email, "manager": manager}))?;
            show(context, changed);
        }
        Command::RemoveMember { group, email } => {
            client.delete(
                &format!("{groups}/{}/members/{}", segment(&group), segment(&email)),
                &[],
            )?;
            context.say(&format!("Took {email} out of {group}."));
        }
        Command::Delete { name, remove_access } => {
            let query: &[(&str, &str)] =
                if remove_access { &[("remove_access", "true")] } else { &[] };
            client.delete(&format!("{groups}/{}", segment(&name)), query)?;
            context.say(&format!("Deleted group {name}."));
        }
    }
    Ok(())
}

fn show(context: &Context, group: Value) {
    context.print(&for_output(context, group), COLUMNS);
}

/// In a table, the members' addresses go in one cell (managers marked); JSON output stays the
/// API's answer.
fn for_output(context: &Context, mut group: Value) -> Value {
    if context.format == crate::output::Format::Json {
        return group;
    }
    let list: Vec<String> = group["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            let email = m["email"].as_str().unwrap_or_default();
            if m["manager"].as_bool() == Some(true) {
                format!("{email} (manager)")
            } else {
                email.to_owned()
            }
        })
        .collect();
    if let Value::Object(map) = &mut group {
        map.insert("member_list".to_owned(), json!(list.join(", ")));
    }
    group
}
