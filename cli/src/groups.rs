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
    /// Puts a member of the organization in a group; any other address is invited into it
    /// (and joins it on accepting), which the output says.
    AddMember {
        #[arg(long)]
        group: String,
        /// Their address (or a service principal's identity).
        #[arg(long)]
        email: String,
        /// May add and remove the group's members too (members of the organization only).
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
        Command::AddMember { group, email, manager: true } => {
            let path = format!("{groups}/{}/members", segment(&group));
            let changed = client.post(&path, &json!({"email": email, "manager": true}))?;
            show(context, changed);
        }
        Command::AddMember { group, email, manager: false } => {
            add_or_invite(context, &groups, &group, &email)?
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

/// Puts `email` in `group` when it is a member of the organization, else invites it there, and
/// says which: the group as it is now, or the invitation sent.
fn add_or_invite(context: &Context, groups: &str, group: &str, email: &str) -> Result<(), Failure> {
    let path = format!("{groups}/{}", segment(group));
    let answers =
        context.client.post(&format!("{path}/invitations"), &json!({"emails": [email]}))?;
    let answer = &answers[0];
    let reason = answer["reason"].as_str().unwrap_or("not a valid address");
    let text = match answer["outcome"].as_str() {
        Some("added") => {
            show(context, context.client.get(&path, &[])?);
            return Ok(());
        }
        Some("already_member") => return Err(Failure::refused("Already in this group.")),
        Some("invalid") => return Err(Failure::refused(format!("{email}: {reason}"))),
        Some("invited") => format!(
            "{email} is not a member of the organization: invited, and put in {group} on accepting."
        ),
        _ => format!("{email} was invited into {group} before and has not answered yet."),
    };
    match context.format {
        crate::output::Format::Json => context.print(answer, &[]),
        crate::output::Format::Table => println!("{text}"),
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
