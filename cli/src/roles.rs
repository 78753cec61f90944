//! `atl role definition …` (seed 003's `az role definition create --role-definition FILE`)
//! and `atl role assignment …`.

use clap::Subcommand;
use serde_json::{json, Value};

use crate::client::segment;
use crate::context::Context;
use crate::failure::Failure;
use crate::workspaces::Principal;

#[derive(Subcommand)]
pub enum Command {
    /// Custom roles and the built-in ones.
    #[command(subcommand)]
    Definition(Definition),
    /// Who holds which role where.
    #[command(subcommand)]
    Assignment(Assignment),
}

#[derive(Subcommand)]
pub enum Definition {
    /// Creates a custom role from a JSON file (seed 003's shape, or Azure's) in the
    /// organization its AssignableScopes name.
    Create {
        #[arg(long)]
        role_definition: std::path::PathBuf,
    },
    /// Replaces a custom role with a JSON file's definition.
    Update {
        #[arg(long)]
        name: String,
        #[arg(long)]
        role_definition: std::path::PathBuf,
    },
    /// The organization's roles, built-in and custom.
    List,
    /// One role as JSON (seed 003's shape).
    Show {
        #[arg(long)]
        name: String,
        /// Write scopes in Azure's /subscriptions/… form, to take the role back to Azure.
        #[arg(long)]
        azure: bool,
    },
    /// Deletes a custom role no one holds.
    Delete {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum Assignment {
    /// The assignments that apply at a scope (made there or above).
    List {
        /// /organizations/{org}[/resourceGroups/{group}[/workspaces/{workspace}]]; the
        /// organization when not given.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Gives a role at a scope.
    Create {
        #[arg(long)]
        scope: String,
        /// The role's name, built-in or custom.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        principal: Principal,
    },
    /// Removes an assignment made at a scope (its id from `list`).
    Delete {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        id: i64,
    },
}

const DEFINITION_COLUMNS: &[(&str, &str)] =
    &[("Name", "Name"), ("Custom", "IsCustom"), ("Description", "Description")];

const ASSIGNMENT_COLUMNS: &[(&str, &str)] = &[
    ("Id", "id"),
    ("Principal", "principal"),
    ("Type", "principal_type"),
    ("Role", "role"),
    ("Scope", "scope"),
    ("Inherited", "inherited"),
];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Definition(definition) => run_definition(context, definition),
        Command::Assignment(assignment) => run_assignment(context, assignment),
    }
}

fn run_definition(context: &Context, command: Definition) -> Result<(), Failure> {
    let client = &context.client;
    match command {
        Definition::Create { role_definition } => {
            let saved = client.post("/roleDefinitions", &read_json(&role_definition)?)?;
            report_saved(context, &saved);
        }
        Definition::Update { name, role_definition } => {
            let org = context.organization(None)?;
            let path = format!("{}/{}", definitions(&org), segment(&name));
            let saved = client.put(&path, &read_json(&role_definition)?)?;
            report_saved(context, &saved);
        }
        Definition::List => {
            let org = context.organization(None)?;
            let items = client.all(&definitions(&org), &[])?;
            context.print(&Value::Array(items), DEFINITION_COLUMNS);
        }
        Definition::Show { name, azure } => {
            let org = context.organization(None)?;
            let path = format!("{}/{}", definitions(&org), segment(&name));
            let query: &[(&str, &str)] = if azure { &[("scope_form", "azure")] } else { &[] };
            // A role is shown as the JSON it is made from, whatever the output format.
            let role = client.get(&path, query)?;
            println!("{}", serde_json::to_string_pretty(&role).unwrap_or_default());
        }
        Definition::Delete { name } => {
            let org = context.organization(None)?;
            client.delete(&format!("{}/{}", definitions(&org), segment(&name)), &[])?;
            context.say(&format!("Deleted role {name}."));
        }
    }
    Ok(())
}

fn run_assignment(context: &Context, command: Assignment) -> Result<(), Failure> {
    let client = &context.client;
    match command {
        Assignment::List { scope } => {
            let scope = match scope {
                Some(scope) => scope,
                None => format!("/organizations/{}", context.organization(None)?),
            };
            let items = client.all("/roleAssignments", &[("scope", &scope)])?;
            context.print(&Value::Array(items), ASSIGNMENT_COLUMNS);
        }
        Assignment::Create { scope, role, principal } => give(context, &scope, &role, &principal)?,
        Assignment::Delete { scope, id } => {
            client.delete(&format!("/roleAssignments/{id}"), &[("scope", &scope)])?;
            context.say(&format!("Removed role assignment {id}."));
        }
    }
    Ok(())
}

/// Gives `role` at `scope` and says what happened: granted, or an invitation sent.
pub fn give(
    context: &Context,
    scope: &str,
    role: &str,
    principal: &Principal,
) -> Result<(), Failure> {
    let mut body = principal.body();
    body.insert("scope".to_owned(), json!(scope));
    body.insert("role".to_owned(), json!(role));
    let given = context.client.post("/roleAssignments", &Value::Object(body))?;
    let who = principal
        .user
        .as_deref()
        .map(str::to_owned)
        .or(principal.group.as_ref().map(|g| format!("group {g}")))
        .or(principal.service_principal.as_ref().map(|s| format!("service principal {s}")))
        .unwrap_or_default();
    let text = match given["outcome"].as_str() {
        Some("invited") => format!(
            "{who} is not a member of the organization: invited, and given {role} on accepting."
        ),
        Some("already_invited") => format!("{who} was invited before and has not answered yet."),
        _ => format!("Gave {role} to {who} at {scope}."),
    };
    match context.format {
        crate::output::Format::Json => context.print(&given, &[]),
        crate::output::Format::Table => println!("{text}"),
    }
    Ok(())
}

fn definitions(org: &str) -> String {
    format!("/organizations/{}/roleDefinitions", segment(org))
}

fn read_json(path: &std::path::Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("Cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{} is not JSON: {e}", path.display())))
}

fn report_saved(context: &Context, saved: &Value) {
    match context.format {
        crate::output::Format::Json => context.print(saved, &[]),
        crate::output::Format::Table => {
            let role = &saved["role"];
            println!(
                "Saved role {} (assignable at {}).",
                role["Name"].as_str().unwrap_or_default(),
                role["AssignableScopes"]
                    .as_array()
                    .map(|s| s.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default()
            );
            for pattern in saved["unmatched"].as_array().into_iter().flatten() {
                eprintln!("warning: {} matches no action Atelier knows.", pattern);
            }
            for note in saved["notes"].as_array().into_iter().flatten() {
                eprintln!("note: {}", note.as_str().unwrap_or_default());
            }
        }
    }
}
