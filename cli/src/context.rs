//! What every command works with: the API client, the output format, and the organization,
//! found as the Azure CLI finds a subscription: named, saved, or the only one there is.

use serde_json::Value;

use crate::client::Client;
use crate::config::{self, Config};
use crate::failure::Failure;
use crate::output::{self, Format};

pub struct Context {
    pub client: Client,
    pub format: Format,
    organization: Option<String>,
}

impl Context {
    pub fn new(format: Format, organization: Option<String>) -> Result<Self, Failure> {
        let config = config::load()?;
        let organization = organization.or(config.organization.clone());
        Ok(Self { client: Client::new(&config)?, format, organization })
    }

    pub fn print(&self, value: &Value, columns: &[(&str, &str)]) {
        output::print(self.format, value, columns);
    }

    /// A line for people, in table output only (JSON output stays one document).
    pub fn say(&self, text: &str) {
        if self.format == Format::Table {
            println!("{text}");
        }
    }

    /// The organization to act in. Given `resource_group`, one holding a workspace you can
    /// read in a resource group of that name is taken when it is the only one.
    pub fn organization(&self, resource_group: Option<&str>) -> Result<String, Failure> {
        if let Some(org) = &self.organization {
            return Ok(org.clone());
        }
        if let Some(group) = resource_group {
            let mut found: Vec<String> = self
                .client
                .all("/workspaces", &[])?
                .iter()
                .filter(|w| {
                    w["resource_group"].as_str().is_some_and(|g| g.eq_ignore_ascii_case(group))
                })
                .filter_map(|w| w["organization"].as_str().map(str::to_owned))
                .collect();
            found.dedup();
            if let [one] = found.as_slice() {
                return Ok(one.clone());
            }
        }
        let orgs: Vec<String> = self
            .client
            .all("/organizations", &[])?
            .iter()
            .filter_map(|o| o["name"].as_str().map(str::to_owned))
            .collect();
        match orgs.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Failure::usage("You belong to no organization yet.")),
            many => Err(Failure::usage(format!(
                "Name the organization with --organization (or ATELIER_ORGANIZATION): one of {}.",
                many.join(", ")
            ))),
        }
    }
}

pub fn login(url: &str, token: &str, organization: Option<String>) -> Result<(), Failure> {
    let url = url.trim().trim_end_matches('/').to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Failure::usage("--url is an http:// or https:// address."));
    }
    let config = Config { url, token: token.trim().to_owned(), organization };
    // Checked before it is saved, so a typo is said now rather than at the next command.
    Client::new(&config)?.get("/organizations", &[("limit", "1")])?;
    let path = config::save(&config)?;
    println!("Logged in to {}; saved in {}.", config.url, path.display());
    Ok(())
}

pub fn logout() -> Result<(), Failure> {
    let path = config::path()?;
    match std::fs::remove_file(&path) {
        Ok(()) => println!("Forgot the address and token in {}.", path.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => println!("Not logged in."),
        Err(e) => return Err(Failure::setup(format!("Cannot remove {}: {e}", path.display()))),
    }
    Ok(())
}
