//! `atelier seed-demo`: fills an organization with workspaces, experiments and runs whose
//! metric curves look like training, so a first start shows a living studio; `--scale` adds a
//! benchmark workspace with as many runs as asked, and `--tenants` more organizations around it.
//!
//! Organizations and workspaces are created through the same functions (and the same
//! authorization) as in the app; runs are written in bulk with timestamps spread over the past
//! month, which the app's own functions (always "now") cannot do.

mod bulk;
mod computes;
mod curves;
mod datasets;
mod endpoints;
mod pipelines;
mod tenants;

use anyhow::{bail, Context};

use super::authz::{self, Deleted};
use super::db::audit::Actor;
use super::db::computes::ComputeOwner;
use super::db::experiments::{self, ExperimentFields};
use super::db::users::{self, AdminClaim, UserRecord};
use super::db::workspaces::{self, InitialAccess, NewWorkspace, Placement};
use super::db::{organizations, Pool};
use crate::authz::Action;
use crate::domain::{
    Description, DisplayName, Email, Environment, ExperimentName, OrganizationName, Password,
    PersonName, ResourceGroupName, Slug, Tags, WorkspaceName, WorkspacePath,
};
pub use bulk::ScaleOptions;

pub const DEMO_EMAIL: &str = "demo@example.com";
pub const DEMO_ORGANIZATION: &str = "demo-lab";

/// The demo organization exists: seeding again would change nothing.
#[derive(Debug, thiserror::Error)]
#[error("the organization {DEMO_ORGANIZATION:?} exists already: the demo is seeded")]
pub struct AlreadySeeded;

/// Whether nobody has an account yet: a first start, where demo data helps and harms nothing.
pub async fn instance_is_fresh(pool: &Pool) -> anyhow::Result<bool> {
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?;
    Ok(accounts == 0)
}

/// What `seed-demo` did, for its report.
pub struct Seeded {
    pub owner_email: String,
    /// The new demo account's password, when the account was made now.
    pub new_password: Option<String>,
    pub runs: u64,
    pub metric_points: u64,
    /// Organizations and workspaces made, the demo's own included.
    pub organizations: u64,
    pub workspaces: u64,
}

/// Workspaces of the demo: (group, name, environment, [(experiment, description, runs)]).
type Plan =
    [(&'static str, &'static str, Environment, &'static [(&'static str, &'static str, u32)])];

const PLAN: &Plan = &[
    (
        "vision",
        "detector-dev",
        Environment::Development,
        &[
            ("mnist-cnn", "A small CNN on MNIST: the team's smoke test.", 12),
            ("resnet50-finetune", "ResNet-50 fine-tuned on the product photos.", 18),
            ("augmentation-sweep", "Which augmentations help, one at a time.", 24),
        ],
    ),
    (
        "vision",
        "detector-prod",
        Environment::Production,
        &[("nightly-retrain", "The nightly retraining pipeline's runs.", 14)],
    ),
    (
        "language",
        "sentiment",
        Environment::Development,
        &[
            ("distilbert-sst2", "DistilBERT on SST-2 sentiment.", 16),
            ("tokenizer-ablation", "Vocabulary sizes compared.", 9),
        ],
    ),
];

/// Seeds the demo organization owned by `owner_email` (created as a demo account when absent).
/// Running it again changes nothing and says so.
pub async fn seed(
    pool: &Pool,
    data_dir: &std::path::Path,
    owner_email: Option<&str>,
    scale: Option<ScaleOptions>,
) -> anyhow::Result<Seeded> {
    let (owner, new_password) = owner(pool, owner_email).await?;
    let actor = Actor {
        user_id: Some(owner.id),
        name: owner.display_name.clone(),
        client_address: String::new(),
    };
    let slug = Slug::parse(DEMO_ORGANIZATION)?;
    let mut seeded = Seeded {
        owner_email: owner.email.clone(),
        new_password,
        runs: 0,
        metric_points: 0,
        organizations: 1,
        workspaces: PLAN.len() as u64,
    };
    if super::db::scopes::organization(pool, slug.as_str()).await?.is_some() {
        return Err(AlreadySeeded.into());
    }
    let name = OrganizationName::parse("Demo Lab")?;
    organizations::create(pool, &actor, owner.id, &name, &slug)
        .await
        .context("creating the demo organization")?;
    for (group, workspace, environment, experiments) in PLAN {
        create_workspace(pool, &owner, &actor, group, workspace, *environment).await?;
        let ws = authz::workspace(
            pool,
            &owner,
            &WorkspacePath::new(DEMO_ORGANIZATION, *group, *workspace),
            Action::ExperimentsWrite,
            Deleted::Excluded,
        )
        .await
        .map_err(|e| anyhow::anyhow!("authorizing the demo owner: {}", e.message))?;
        demo_environments(pool, &ws, &actor).await?;
        datasets::seed(pool, data_dir, &ws, &actor).await?;
        let compute_owner = ComputeOwner { user_id: owner.id, name: owner.display_name.clone() };
        computes::seed(pool, &ws, &actor, compute_owner).await?;
        pipelines::demo_pipelines(pool, &ws, &actor).await?;
        let mut best_runs = Vec::new();
        for (n, (name, description, runs)) in experiments.iter().enumerate() {
            let name = ExperimentName::parse(name)?;
            let description = Description::parse(description)?;
            let tags = Tags::parse("team=demo")?;
            let fields = ExperimentFields { name: &name, description: &description, tags: &tags };
            experiments::create(pool, &ws, &actor, &fields)
                .await
                .context("creating an experiment")?;
            let seed = (workspace.len() * 1000 + n) as u64;
            let made = bulk::demo_runs(pool, &ws, &owner, name.as_str(), *runs, seed).await?;
            seeded.runs += made.runs;
            seeded.metric_points += made.points;
            if n == 0 {
                best_runs = made.best;
            }
        }
        // Served models come from the first experiment's best runs, with their files.
        let model = format!("{workspace}-model");
        let place = endpoints::Place { pool, data_dir, ws: &ws, actor: &actor };
        endpoints::demo_endpoint(&place, (&model, &format!("{workspace}-scoring")), &best_runs)
            .await?;
    }
    if let Some(options) = scale {
        create_workspace(pool, &owner, &actor, "benchmarks", "scale", Environment::Test).await?;
        let ws = authz::workspace(
            pool,
            &owner,
            &WorkspacePath::new(DEMO_ORGANIZATION, "benchmarks", "scale"),
            Action::ExperimentsWrite,
            Deleted::Excluded,
        )
        .await
        .map_err(|e| anyhow::anyhow!("authorizing the demo owner: {}", e.message))?;
        let (runs, points) = bulk::scale_runs(pool, &ws, &owner, &actor, options).await?;
        seeded.runs += runs;
        seeded.metric_points += points;
        seeded.workspaces += 1;
        let tenants = tenants::seed(pool, options.tenants).await?;
        seeded.organizations += tenants.organizations;
        seeded.workspaces += tenants.workspaces;
        seeded.runs += tenants.runs;
        seeded.metric_points += tenants.points;
    }
    Ok(seeded)
}

async fn owner(pool: &Pool, email: Option<&str>) -> anyhow::Result<(UserRecord, Option<String>)> {
    let address = Email::parse(email.unwrap_or(DEMO_EMAIL))?;
    if let Some(user) = users::find_by_email(pool, &address).await? {
        return Ok((user, None));
    }
    if email.is_some() {
        bail!("there is no account for {}: sign up first, or leave out --owner", address.as_str());
    }
    let (token, _) = super::secrets::new_token()?;
    let password_text: String =
        token.chars().filter(char::is_ascii_alphanumeric).take(20).collect();
    let password = Password::parse(&password_text)?;
    let hash = super::password::Passwords::default().hash(&password).await?;
    let name = PersonName::parse("Demo Scientist")?;
    let user = users::create_account(pool, &address, &name, &hash, AdminClaim::Never)
        .await
        .context("creating the demo account")?;
    Ok((user, Some(password_text)))
}

async fn create_workspace(
    pool: &Pool,
    owner: &UserRecord,
    actor: &Actor,
    group: &str,
    name: &str,
    environment: Environment,
) -> anyhow::Result<()> {
    let new = NewWorkspace {
        name: WorkspaceName::parse(name)?,
        display_name: DisplayName::parse(name)?,
        description: Description::parse("Seeded by atelier seed-demo.")?,
        environment,
        tags: Tags::parse("demo=true")?,
    };
    let existing =
        authz::resource_group(pool, owner, DEMO_ORGANIZATION, group, Action::WorkspacesWrite).await;
    match existing {
        Ok(group) => {
            workspaces::create(
                pool,
                Placement::Existing(&group),
                actor,
                &[new],
                &InitialAccess::default(),
            )
            .await?
        }
        Err(_) => {
            let org =
                authz::organization(pool, owner, DEMO_ORGANIZATION, Action::ResourceGroupsWrite)
                    .await
                    .map_err(|e| anyhow::anyhow!("authorizing the demo owner: {}", e.message))?;
            let group = ResourceGroupName::parse(group)?;
            workspaces::create(
                pool,
                Placement::NewGroup(&org, &group),
                actor,
                &[new],
                &InitialAccess::default(),
            )
            .await?
        }
    };
    Ok(())
}

/// Two environments per workspace, one of them in two versions.
async fn demo_environments(
    pool: &Pool,
    ws: &super::authz::Authorized<super::db::scopes::WorkspaceScope>,
    actor: &Actor,
) -> anyhow::Result<()> {
    use super::db::environments::{register, NewEnvironment};
    use crate::domain::environment::EnvironmentName;
    let versions = [
        ("sklearn", "python:3.11-slim", "scikit-learn==1.4.2\npandas==2.2.2\n"),
        ("sklearn", "python:3.11-slim", "scikit-learn==1.5.1\npandas==2.2.2\n"),
        (
            "pytorch-gpu",
            "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
            "name: train\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip:\n      - torchvision==0.19.0\n      - mlflow==2.16.0\n",
        ),
    ];
    for (name, image, spec) in versions {
        let new = NewEnvironment {
            name: &EnvironmentName::parse(name)?,
            base_image: image,
            conda_spec: spec,
            description: &Description::parse("Seeded by atelier seed-demo.")?,
            tags: &Tags::default(),
        };
        register(pool, ws, actor, &new).await?;
    }
    Ok(())
}
