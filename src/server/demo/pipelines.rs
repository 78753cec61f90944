//! Demo pipelines: a training pipeline and a batch scoring pipeline per workspace, with runs
//! that completed, failed, were canceled, and are still under way. Made through the same
//! functions (and rules) as in the app.

use anyhow::Context;

use crate::domain::pipeline::{PipelineGraph, PipelineName};
use crate::domain::{Description, RunStatus, Tags};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::pipeline_runs::{self, RunChange};
use crate::server::db::pipelines::{self, PipelineFields};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::Pool;

use RunStatus::{Canceled, Completed, Failed, Running};

const TRAINING: &str = "\
prep using sklearn:2: python prep.py --input data/raw --output data/clean
features after prep using sklearn:2: python features.py --window 30
train after features using pytorch-gpu:1: python train.py --epochs 20 --lr 0.001
evaluate after train using pytorch-gpu:1: python evaluate.py --split test
register after evaluate: python register.py --model churn-classifier";

const SCORING: &str = "\
fetch: python fetch.py --since yesterday
validate after fetch using sklearn:2: python validate.py --schema schema.json
score after fetch, validate using sklearn:2: python score.py --model churn-classifier:production
publish after score: python publish.py --table predictions";

fn all_completed(steps: &'static [&'static str]) -> Vec<(&'static str, RunStatus)> {
    steps.iter().flat_map(|s| [(*s, Running), (*s, Completed)]).collect()
}

pub(super) async fn demo_pipelines(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
) -> anyhow::Result<()> {
    let training_steps = &["prep", "features", "train", "evaluate", "register"];
    let scoring_steps = &["fetch", "validate", "score", "publish"];
    let training_runs: Vec<Vec<(&str, RunStatus)>> = vec![
        all_completed(training_steps),
        [all_completed(&["prep", "features"]), vec![("train", Running), ("train", Failed)]]
            .concat(),
        [all_completed(&["prep"]), vec![("features", Running)]].concat(),
    ];
    let scoring_runs: Vec<Vec<(&str, RunStatus)>> = vec![
        all_completed(scoring_steps),
        vec![("fetch", Running), ("fetch", Canceled)],
        // Submitted, nothing started yet.
        Vec::new(),
    ];
    let plans = [
        (
            "churn-training",
            "Prepares data, trains and registers the churn model.",
            "team=growth",
            TRAINING,
            training_runs,
        ),
        (
            "nightly-scoring",
            "Scores yesterday's customers with the production model.",
            "schedule=nightly",
            SCORING,
            scoring_runs,
        ),
    ];
    for (name, description, tags, steps, runs) in plans {
        let graph = PipelineGraph::parse(steps)?;
        let fields = PipelineFields {
            description: &Description::parse(description)?,
            tags: &Tags::parse(tags)?,
            graph: &graph,
        };
        pipelines::create(pool, ws, actor, &PipelineName::parse(name)?, &fields)
            .await
            .context("creating a demo pipeline")?;
        for script in runs {
            let number = pipeline_runs::submit(pool, ws, actor, name, &graph)
                .await
                .context("submitting a demo pipeline run")?;
            for (step, status) in script {
                pipeline_runs::change(
                    pool,
                    ws,
                    actor,
                    (name, number),
                    RunChange::Step { name: step, status },
                )
                .await
                .with_context(|| format!("moving demo step {step} to {}", status.as_str()))?;
            }
        }
    }
    Ok(())
}
