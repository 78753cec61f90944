//! `atl workspace …`: seed 001's workspace creation and seed 003's `workspace share`.

use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

use crate::client::segment;
use crate::context::Context;
use crate::failure::Failure;

#[derive(Args)]
pub struct Place {
    /// The workspace's name.
    #[arg(long = "workspace", short = 'n', visible_alias = "name")]
    pub workspace: String,
    /// Its resource group.
    #[arg(long = "resource-group", short = 'g')]
    pub resource_group: String,
}

#[derive(Subcommand)]
pub enum Command {
    /// Creates a workspace in an existing resource group (`atl resource-group create` makes
    /// one, like `az group create`); you become its Owner.
    Create {
        #[command(flatten)]
        place: Place,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// development (the default), test or production.
        #[arg(long)]
        environment: Option<String>,
        /// A tag, key=value; repeat for more.
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// The workspaces you may read.
    List,
    /// One workspace's settings and tracking URI.
    Show {
        #[command(flatten)]
        place: Place,
    },
    /// Deletes a workspace (restorable in the studio until the retention window ends).
    Delete {
        #[command(flatten)]
        place: Place,
        /// Confirms the deletion (nothing is asked).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Gives someone a role on the workspace: a member of the organization holds it at once;
    /// any other address is invited.
    Share {
        #[command(flatten)]
        place: Place,
        /// The role's name, built-in or custom.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        principal: Principal,
    },
}

/// Exactly one of a person, a group or a service principal.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct Principal {
    /// A person's address.
    #[arg(long)]
    pub user: Option<String>,
    /// A group's name.
    #[arg(long)]
    pub group: Option<String>,
    /// A service principal's name.
    #[arg(long)]
    pub service_principal: Option<String>,
}

impl Principal {
    pub fn body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        let named = [("user", &self.user), ("group", &self.group)];
        for (key, value) in
            named.into_iter().chain([("service_principal", &self.service_principal)])
        {
            if let Some(value) = value {
                body.insert(key.to_owned(), json!(value));
            }
        }
        body
    }
}

const COLUMNS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("ResourceGroup", "resource_group"),
    ("Organization", "organization"),
    ("Environment", "environment"),
    ("YourRoles", "your_roles"),
];

pub fn run(context: &Context, command: Command) -> Result<(), Failure> {
    let client = &context.client;
    match command {
        Command::Create { place, display_name, description, environment, tags } => {
            let org = context.organization(Some(&place.resource_group))?;
            let mut tag_map = Map::new();
            for tag in tags {
                let (key, value) = tag.split_once('=').ok_or_else(|| {
                    Failure::usage(format!("--tag {tag:?}: write a tag as key=value."))
                })?;
                tag_map.insert(key.to_owned(), json!(value));
            }
            let mut body = json!({"name": place.workspace, "tags": tag_map});
            for (key, value) in [
                ("display_name", display_name),
                ("description", description),
                ("environment", environment),
            ] {
                if let Some(value) = value {
                    body[key] = json!(value);
                }
            }
            let path = format!(
                "/organizations/{}/resourceGroups/{}/workspaces",
                segment(&org),
                segment(&place.resource_group)
            );
            let created = client
                .post(&path, &body)
                .map_err(|failure| missing_resource_group(failure, &org, &place.resource_group))?;
            context.print(&created, &with_tracking(COLUMNS));
        }
        Command::List => {
            let items = client.all("/workspaces", &[])?;
            context.print(&Value::Array(items), COLUMNS);
        }
        Command::Show { place } => {
            let shown = client.get(&workspace_path(context, &place)?, &[])?;
            context.print(&shown, &with_tracking(COLUMNS));
        }
        Command::Delete { place, yes } => {
            if !yes {
                return Err(Failure::usage(format!("Deleting {} needs --yes.", place.workspace)));
            }
            client.delete(&workspace_path(context, &place)?, &[])?;
            context.say(&format!("Deleted workspace {}.", place.workspace));
        }
        Command::Share { place, role, principal } => {
            let org = context.organization(Some(&place.resource_group))?;
            let scope = format!(
                "/organizations/{org}/resourceGroups/{}/workspaces/{}",
                place.resource_group, place.workspace
            );
            crate::roles::give(context, &scope, &role, &principal)?;
        }
    }
    Ok(())
}

fn with_tracking(columns: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut all = columns.to_vec();
    all.push(("TrackingUri", "tracking_uri"));
    all
}

fn workspace_path(context: &Context, place: &Place) -> Result<String, Failure> {
    let org = context.organization(Some(&place.resource_group))?;
    Ok(format!(
        "/organizations/{}/resourceGroups/{}/workspaces/{}",
        segment(&org),
        segment(&place.resource_group),
        segment(&place.workspace)
    ))
}

/// As `az ml workspace create`, the resource group must exist: a "not found" says how to make
/// it (the server does not say which part it could not find, to hide what one may not see).
fn missing_resource_group(failure: Failure, org: &str, group: &str) -> Failure {
    if failure.code != 4 {
        return failure;
    }
    Failure::not_found(format!(
        "{} No resource group {group} in {org} that you may use: make it with \
         `atl resource-group create -n {group}`, or name another with -g.",
        failure.message
    ))
}
