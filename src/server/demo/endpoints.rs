//! The demo's served models: per workspace, a registered model in two versions and an online
//! endpoint whose blue deployment (version 1) takes 90% of the traffic while green (version 2)
//! is tried on the other 10%, as a canary release would.

use anyhow::Context;

use crate::domain::compute::parse_vm_size;
use crate::domain::endpoint::AuthMode;
use crate::domain::{DeploymentName, Description, EndpointName, Framework, ModelName, Tags};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::deployments::{self, DeploymentSpec};
use crate::server::db::endpoints::{self, EndpointFields};
use crate::server::db::model_versions::{self, NewVersion};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::Pool;

/// Registers `model` twice and serves both versions from `endpoint`, split 90/10.
pub(super) async fn demo_endpoint(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (model, endpoint): (&str, &str),
) -> anyhow::Result<()> {
    let model_name = ModelName::parse(model)?;
    let seeded = Description::parse("Seeded by atelier seed-demo.")?;
    let framework = Framework::parse("PyTorch")?;
    for _ in 0..2 {
        let new = NewVersion {
            model: &model_name,
            model_description: &seeded,
            model_tags: &Tags::parse("team=demo")?,
            source_run: None,
            framework: &framework,
            description: &seeded,
        };
        model_versions::register(pool, ws, actor, &new)
            .await
            .map_err(|e| anyhow::anyhow!("registering a demo model: {e}"))?;
    }
    let name = EndpointName::parse(endpoint)?;
    let fields = EndpointFields {
        description: &Description::parse("Answers scoring requests; green is a canary.")?,
        tags: &Tags::parse("team=demo\nrelease=canary")?,
        auth_mode: AuthMode::Key,
    };
    let context = || format!("creating the demo endpoint {endpoint}");
    endpoints::create(pool, ws, actor, &name, &fields).await.with_context(context)?;
    for (deployment, version, size) in
        [("blue", 1, "Standard_DS3_v2"), ("green", 2, "Standard_NC4as_T4_v3")]
    {
        let spec = DeploymentSpec {
            model: (model, version),
            instance_type: parse_vm_size(size)?,
            instance_count: 2,
        };
        let deployment = DeploymentName::parse(deployment)?;
        deployments::create(pool, ws, actor, endpoint, &deployment, &spec)
            .await
            .with_context(context)?;
    }
    let split = [("blue".to_owned(), 90), ("green".to_owned(), 10)];
    deployments::set_traffic(pool, ws, actor, endpoint, &split).await.with_context(context)?;
    Ok(())
}
