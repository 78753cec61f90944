//! `--tenants N`: N more organizations (`tenant-000`, …), each owned by an account of its own
//! and holding ten workspaces in two resource groups, each workspace with an experiment of a
//! few runs, so benchmark data has the shape of a shared instance rather than of one team.
//! Everything goes through the app's own functions (and its authorization), one transaction
//! per organization, workspace group and experiment; the accounts share one password hash,
//! computed once, since nobody signs in as them.

use std::time::Instant;

use anyhow::Context;

use super::bulk;
use crate::authz::Action;
use crate::domain::{
    Description, DisplayName, Email, Environment, ExperimentName, OrganizationName, Password,
    PersonName, ResourceGroupName, Slug, Tags, WorkspaceName, WorkspacePath,
};
use crate::server::authz::{self, Deleted};
use crate::server::db::audit::Actor;
use crate::server::db::experiments::{self, ExperimentFields};
use crate::server::db::users::{self, AdminClaim, UserRecord};
use crate::server::db::workspaces::{self, InitialAccess, NewWorkspace, Placement};
use crate::server::db::{organizations, Pool};

/// (resource group, environment, workspaces in it) of every tenant organization.
const GROUPS: [(&str, Environment, u32); 2] =
    [("research", Environment::Development, 5), ("production", Environment::Production, 5)];
/// Runs in each tenant workspace's experiment.
const RUNS_PER_WORKSPACE: u32 = 3;

/// What the tenants hold, for the report.
#[derive(Default)]
pub struct Tenants {
    pub organizations: u64,
    pub workspaces: u64,
    pub runs: u64,
    pub points: u64,
}

/// Creates `count` tenant organizations; running it again on the same database fails on the
/// first existing account or organization rather than adding a second set.
pub async fn seed(pool: &Pool, count: u32) -> anyhow::Result<Tenants> {
    let started = Instant::now();
    let password = Password::parse("tenant-accounts-never-sign-in")?;
    let hash = crate::server::password::Passwords::default().hash(&password).await?;
    let mut made = Tenants::default();
    for n in 0..count {
        let owner = tenant_owner(pool, n, &hash).await?;
        let actor = Actor {
            user_id: Some(owner.id),
            name: owner.display_name.clone(),
            client_address: String::new(),
        };
        let slug = Slug::parse(&format!("tenant-{n:03}"))?;
        let name = OrganizationName::parse(&format!("Tenant {n:03}"))?;
        organizations::create(pool, &actor, owner.id, &name, &slug)
            .await
            .with_context(|| format!("creating the organization {}", slug.as_str()))?;
        made.organizations += 1;
        let mut index = 0;
        for (group, environment, size) in GROUPS {
            let names: Vec<String> = (index..index + size).map(|w| format!("ws-{w}")).collect();
            index += size;
            create_group(pool, &owner, &actor, (slug.as_str(), group), environment, &names).await?;
            for workspace in &names {
                let path = WorkspacePath::new(slug.as_str(), group, workspace.as_str());
                let (runs, points) = experiment_with_runs(pool, &owner, &actor, &path, n).await?;
                made.workspaces += 1;
                made.runs += runs;
                made.points += points;
            }
        }
        if (n + 1) % 10 == 0 || n + 1 == count {
            tracing::info!(
                "{} of {count} tenant organizations ({:.1} s)",
                n + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(made)
}

async fn tenant_owner(pool: &Pool, n: u32, hash: &str) -> anyhow::Result<UserRecord> {
    let email = Email::parse(&format!("owner@tenant-{n:03}.example"))?;
    let name = PersonName::parse(&format!("Tenant {n:03} Owner"))?;
    users::create_account(pool, &email, &name, hash, AdminClaim::Never)
        .await
        .with_context(|| format!("creating the account {}", email.as_str()))
}

/// A new resource group with `names` as its workspaces, in one transaction.
async fn create_group(
    pool: &Pool,
    owner: &UserRecord,
    actor: &Actor,
    (org, group): (&str, &str),
    environment: Environment,
    names: &[String],
) -> anyhow::Result<()> {
    let org = authz::organization(pool, owner, org, Action::ResourceGroupsWrite)
        .await
        .map_err(|e| anyhow::anyhow!("authorizing a tenant's owner: {}", e.message))?;
    let new: Vec<NewWorkspace> = names
        .iter()
        .map(|name| {
            Ok(NewWorkspace {
                name: WorkspaceName::parse(name)?,
                display_name: DisplayName::parse(name)?,
                description: Description::parse("Seeded by atelier seed-demo --tenants.")?,
                environment,
                tags: Tags::parse("tenant=true")?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let group = ResourceGroupName::parse(group)?;
    workspaces::create(
        pool,
        Placement::NewGroup(&org, &group),
        actor,
        &new,
        &InitialAccess::default(),
    )
    .await?;
    Ok(())
}

/// The workspace's experiment `baseline` and its runs; returns (runs, metric points).
async fn experiment_with_runs(
    pool: &Pool,
    owner: &UserRecord,
    actor: &Actor,
    path: &WorkspacePath,
    seed: u32,
) -> anyhow::Result<(u64, u64)> {
    let ws = authz::workspace(pool, owner, path, Action::ExperimentsWrite, Deleted::Excluded)
        .await
        .map_err(|e| anyhow::anyhow!("authorizing a tenant's owner: {}", e.message))?;
    let name = ExperimentName::parse("baseline")?;
    let fields = ExperimentFields {
        name: &name,
        description: &Description::parse("A tenant's first experiment.")?,
        tags: &Tags::default(),
    };
    experiments::create(pool, &ws, actor, &fields).await.context("creating an experiment")?;
    let made =
        bulk::demo_runs(pool, &ws, owner, name.as_str(), RUNS_PER_WORKSPACE, u64::from(seed))
            .await?;
    Ok((made.runs, made.points))
}
