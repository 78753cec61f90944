//! `atl invitation …`: invitations pending at a scope.

use clap::Subcommand;
use serde_json::{json, Value};

use crate::context::Context;
use crate::failure::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Invites addresses to a role at a scope.
    Create {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        role: String,
        /// An address to invite; repeat for more.
        #[arg(long = "email", required = true)]
        emails: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The invitations made at a scope and not yet answered (those into a group at its
    /// organization, with the group).
    List {
        #[arg(long)]
        scope: String,
    },
    /// Revokes a pending invitation: its link stops working.
    Revoke {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        id: i64,
    },
    /// Sends a pending invitation again, with a new link.
    Resend {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        id: i64,
    },
}

const COLUMNS: &[(&str, &str)] = &[
    ("Id", "id"),
    ("Email", "email"),
    ("Role", "role"),
    ("Group", "group"),
    ("InvitedBy", "invited_by"),
    ("Delivery", "delivery"),
    ("Expired", "expired"),
];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    let client = &context.client;
    match command {
        Command::Create { scope, role, emails, note } => {
            let body = json!({"scope": scope, "role": role, "emails": emails, "note": note});
            let answers = client.post("/invitations", &body)?;
            context.print(
                &answers,
                &[("Email", "email"), ("Outcome", "outcome"), ("Reason", "reason")],
            );
        }
        Command::List { scope } => {
            let items = client.all("/invitations", &[("scope", &scope)])?;
            context.print(&Value::Array(items), COLUMNS);
        }
        Command::Revoke { scope, id } => {
            client.delete(&format!("/invitations/{id}"), &[("scope", &scope)])?;
            context.say(&format!("Revoked invitation {id}."));
        }
        Command::Resend { scope, id } => {
            let path = format!("/invitations/{id}/resend?scope={}", crate::client::segment(&scope));
            client.post(&path, &Value::Null)?;
            context.say(&format!("Sent invitation {id} again, with a new link."));
        }
    }
    Ok(())
}
