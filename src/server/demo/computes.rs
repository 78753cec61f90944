//! Demo compute: a CPU cluster that scales to zero, a GPU cluster, and the owner's own compute
//! instance, stopped as a tidy data scientist leaves it overnight.

use anyhow::Context;

use crate::domain::compute::{parse_vm_size, ComputeName, ComputeSizing, PowerAction};
use crate::domain::{ComputeKind, Description, Tags};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::computes::{create, set_state, ComputeOwner, NewCompute};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::Pool;

struct DemoCompute {
    name: &'static str,
    kind: ComputeKind,
    vm_size: &'static str,
    /// (minimum nodes, maximum nodes, idle shutdown minutes)
    sizing: (i64, i64, i64),
    description: &'static str,
    stopped: bool,
}

const COMPUTES: [DemoCompute; 3] = [
    DemoCompute {
        name: "cpu-cluster",
        kind: ComputeKind::Cluster,
        vm_size: "Standard_DS3_v2",
        sizing: (0, 4, 0),
        description: "Scales to zero between jobs: feature engineering and small models.",
        stopped: false,
    },
    DemoCompute {
        name: "gpu-cluster",
        kind: ComputeKind::Cluster,
        vm_size: "Standard_NC6s_v3",
        sizing: (0, 2, 0),
        description: "V100 nodes for training the vision models.",
        stopped: false,
    },
    DemoCompute {
        name: "demo-ci",
        kind: ComputeKind::Instance,
        vm_size: "Standard_DS2_v2",
        sizing: (1, 1, 60),
        description: "The demo account's notebook machine; shuts down after an idle hour.",
        stopped: true,
    },
];

pub async fn seed(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    owner: ComputeOwner,
) -> anyhow::Result<()> {
    let tags = Tags::parse("team=demo")?;
    for demo in &COMPUTES {
        let (min_nodes, max_nodes, idle_shutdown_minutes) = demo.sizing;
        let new = NewCompute {
            name: &ComputeName::parse(demo.name)?,
            kind: demo.kind,
            vm_size: parse_vm_size(demo.vm_size)?,
            sizing: ComputeSizing { min_nodes, max_nodes, idle_shutdown_minutes },
            owner: (demo.kind == ComputeKind::Instance)
                .then(|| ComputeOwner { user_id: owner.user_id, name: owner.name.clone() }),
            description: &Description::parse(demo.description)?,
            tags: &tags,
        };
        create(pool, ws, actor, &new).await.context("creating demo compute")?;
        if demo.stopped {
            set_state(pool, ws, actor, demo.name, PowerAction::Stop)
                .await
                .context("stopping demo compute")?;
        }
    }
    Ok(())
}
