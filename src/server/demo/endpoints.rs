//! The demo's served models: per workspace, a registered model in two versions and an online
//! endpoint whose blue deployment (version 1) takes 90% of the traffic while green (version 2)
//! is tried on the other 10%, as a canary release would.

use std::path::Path;

use anyhow::Context;

use crate::domain::compute::parse_vm_size;
use crate::domain::datastore::StoredPath;
use crate::domain::endpoint::AuthMode;
use crate::domain::{DeploymentName, Description, EndpointName, Framework, ModelName, Tags};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::deployments::{self, DeploymentSpec};
use crate::server::db::endpoints::{self, EndpointFields};
use crate::server::db::model_versions::NewVersion;
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::Pool;
use crate::server::model_files::{self, Artifact};
use crate::server::run_output_files;

/// Where the demo endpoint goes, and who makes it.
pub(super) struct Place<'a> {
    pub pool: &'a Pool,
    pub data_dir: &'a Path,
    pub ws: &'a Authorized<WorkspaceScope>,
    pub actor: &'a Actor,
}

/// Registers `model` twice, from the two best of `best_runs` (the better one as version 2)
/// after giving each the files a training script saves, and serves both versions from
/// `endpoint`, split 90/10.
pub(super) async fn demo_endpoint(
    place: &Place<'_>,
    (model, endpoint): (&str, &str),
    best_runs: &[String],
) -> anyhow::Result<()> {
    let Place { pool, data_dir, ws, actor } = *place;
    let model_name = ModelName::parse(model)?;
    let seeded = Description::parse("Seeded by atelier seed-demo.")?;
    let framework = Framework::parse("PyTorch")?;
    let artifact = StoredPath::parse("outputs/model")?;
    for source in [best_runs.get(1), best_runs.first()] {
        if let Some(run) = source {
            save_model_outputs(place, run, model).await?;
        }
        let new = NewVersion {
            model: &model_name,
            model_description: &seeded,
            model_tags: &Tags::parse("team=demo")?,
            source_run: source.map(String::as_str),
            framework: &framework,
            description: &seeded,
            artifact: source.map(|_| artifact.as_str()),
            logged_model: None,
        };
        let files = match source {
            Some(_) => Artifact::RunOutputs(&artifact),
            None => Artifact::None,
        };
        model_files::register(pool, data_dir, ws, actor, &new, files)
            .await
            .map_err(|e| anyhow::anyhow!("registering a demo model: {}", e.message))?;
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

/// The files a PyTorch training script leaves in `outputs/`: the model folder MLflow writes
/// (its description, pinned requirements and weights) and a metrics summary beside it.
async fn save_model_outputs(place: &Place<'_>, run: &str, model: &str) -> anyhow::Result<()> {
    let mlmodel = format!(
        "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pytorch\n    \
         python_version: 3.11.9\n  pytorch:\n    model_data: data\n    pytorch_version: 2.3.1\n\
         run_id: {run}\nregistered_model_name: {model}\n"
    );
    // Weights are opaque bytes; these are made up but the same on every seeding.
    let weights: Vec<u8> =
        (0..16_384_u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let files: [(&str, &[u8]); 4] = [
        ("outputs/model/MLmodel", mlmodel.as_bytes()),
        ("outputs/model/requirements.txt", b"mlflow==2.14.1\ntorch==2.3.1\nnumpy==1.26.4\n"),
        ("outputs/model/data/model.pth", &weights),
        ("outputs/metrics.json", b"{\"accuracy\": 0.94, \"loss\": 0.18}\n"),
    ];
    for (path, bytes) in files {
        let path = StoredPath::parse(path)?;
        run_output_files::store(
            place.pool,
            place.data_dir,
            place.ws,
            place.actor,
            run,
            &path,
            bytes,
        )
        .await
        .map_err(|e| anyhow::anyhow!("saving a demo run's outputs: {}", e.message))?;
    }
    Ok(())
}
