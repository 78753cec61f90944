//! Runs written in bulk: multi-row INSERTs inside one transaction per batch, for the demo's
//! few hundred runs and for benchmark data in the millions.

use std::time::Instant;

use sqlx::Row;

use super::curves::{training_points, Curve, Noise};
use crate::domain::run::MetricPoint;
use crate::domain::{Description, ExperimentName, Tags};
use crate::server::authz::Authorized;
use crate::server::db::audit::Actor;
use crate::server::db::experiments::{self, ExperimentFields};
use crate::server::db::scopes::WorkspaceScope;
use crate::server::db::users::UserRecord;
use crate::server::db::{now, run_logs, run_metrics, tenant, Pool};

/// `--scale`: how many runs, and metric points per run, the benchmark workspace gets, and how
/// many tenant organizations (ten workspaces each) stand beside it.
#[derive(Clone, Copy, Debug)]
pub struct ScaleOptions {
    pub runs: u64,
    pub points_per_run: u32,
    pub tenants: u32,
}

/// Runs per multi-row INSERT (9 parameters each: well under both backends' limits).
const RUNS_PER_INSERT: usize = 100;
const DAY: i64 = 86_400;

/// One run to insert.
struct NewRunRow {
    name: String,
    display_name: String,
    status: &'static str,
    params: String,
    created_at: i64,
    started_at: Option<i64>,
    ended_at: Option<i64>,
}

/// Inserts `rows` into one experiment and returns their ids, in order.
async fn insert_runs(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    experiment_id: i64,
    owner: &UserRecord,
    rows: &[NewRunRow],
) -> anyhow::Result<Vec<i64>> {
    let (org, ws_id) = tenant(ws);
    let mut ids = Vec::with_capacity(rows.len());
    for batch in rows.chunks(RUNS_PER_INSERT) {
        let values: Vec<String> = (0..batch.len())
            .map(|i| {
                let n = i * 9 + 6;
                format!(
                    "($1, $2, $3, ${}, ${}, ${}, ${}, $4, $5, 'python train.py', ${}, '[[\"source\",\"demo\"]]', ${}, ${}, ${}, ${})",
                    n, n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO runs (organization_id, workspace_id, experiment_id, name, display_name, \
             display_key, status, user_id, user_name, entry_point, params, tags, created_at, \
             started_at, ended_at, duration) VALUES {} RETURNING id, name",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(org)
            .bind(ws_id)
            .bind(experiment_id)
            .bind(owner.id)
            .bind(owner.display_name.as_str());
        for row in batch {
            let duration = match (row.started_at, row.ended_at) {
                (Some(s), Some(e)) => e - s,
                _ => -1,
            };
            query = query
                .bind(row.name.as_str())
                .bind(row.display_name.as_str())
                .bind(row.display_name.to_lowercase())
                .bind(row.status)
                .bind(row.params.as_str())
                .bind(row.created_at)
                .bind(row.started_at)
                .bind(row.ended_at)
                .bind(duration);
        }
        let returned = query.fetch_all(&mut *tx).await?;
        // RETURNING order is not promised: match ids to rows by name.
        for row in batch {
            let id = returned
                .iter()
                .find(|r| r.try_get::<String, _>("name").ok().as_deref() == Some(row.name.as_str()))
                .map(|r| r.try_get::<i64, _>("id"))
                .transpose()?
                .ok_or_else(|| anyhow::anyhow!("a seeded run was not returned"))?;
            ids.push(id);
        }
    }
    sqlx::query(
        "UPDATE experiments SET run_count = run_count + $1, \
         last_run_at = (SELECT MAX(created_at) FROM runs WHERE experiment_id = $2) \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(i64::try_from(rows.len())?)
    .bind(experiment_id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    Ok(ids)
}

async fn experiment_id(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> anyhow::Result<i64> {
    experiments::get(pool, ws, name)
        .await?
        .map(|e| e.id)
        .ok_or_else(|| anyhow::anyhow!("the experiment {name} was just created but is missing"))
}

/// The demo's runs of one experiment: mostly completed over the past month, a few failed or
/// canceled, the newest one running and one queued; each with training curves and a log.
pub async fn demo_runs(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    owner: &UserRecord,
    experiment: &str,
    count: u32,
    seed: u64,
) -> anyhow::Result<DemoRuns> {
    let mut noise = Noise::new(seed);
    let now = now();
    let experiment_id = experiment_id(pool, ws, experiment).await?;
    let mut rows = Vec::new();
    let mut curves = Vec::new();
    for i in 0..count {
        let (name, display) = crate::server::run_names::new_run_names()?;
        let age = i64::from(count - i) * DAY * 30 / i64::from(count.max(1));
        let created = now - age - noise.between(0.0, 3600.0) as i64;
        let status = match (count - i, noise.unit()) {
            (1, _) => "running",
            (2, _) if count > 6 => "queued",
            (_, r) if r < 0.08 => "failed",
            (_, r) if r < 0.12 => "canceled",
            _ => "completed",
        };
        let started = (status != "queued").then_some(created + 30);
        let length = noise.between(600.0, 7200.0) as i64;
        let ended = (status != "queued" && status != "running").then_some(created + 30 + length);
        let lr = *noise.pick(&["0.0001", "0.0003", "0.001", "0.003"]);
        let batch = *noise.pick(&["16", "32", "64", "128"]);
        let optimizer = *noise.pick(&["adam", "adamw", "sgd"]);
        let epochs = *noise.pick(&["10", "20", "30"]);
        let params = format!(
            "[[\"learning_rate\",\"{lr}\"],[\"batch_size\",\"{batch}\"],[\"optimizer\",\"{optimizer}\"],[\"epochs\",\"{epochs}\"]]"
        );
        rows.push(NewRunRow {
            name,
            display_name: display,
            status,
            params,
            created_at: created,
            started_at: started,
            ended_at: ended,
        });
        let steps = match status {
            "queued" => 0,
            "running" => 60,
            "failed" => noise.between(10.0, 80.0) as i64,
            _ => noise.between(120.0, 200.0) as i64,
        };
        curves.push((Curve::new(&mut noise), steps));
    }
    let mut tx = crate::server::db::begin(pool).await?;
    let ids = insert_runs(&mut tx, ws, experiment_id, owner, &rows).await?;
    let (org, _) = tenant(ws);
    let mut points_total = 0;
    let mut finished = Vec::new();
    for ((id, row), (curve, steps)) in ids.iter().zip(&rows).zip(&curves) {
        let points = training_points(curve, *steps, &mut noise);
        let last_loss = points.iter().rev().find(|p| p.key == "loss").map(|p| p.value);
        if let (Some(loss), "completed") = (last_loss, row.status) {
            finished.push((loss, row.name.clone()));
        }
        let at = row.started_at.unwrap_or(row.created_at);
        run_metrics::insert_points(&mut tx, org, *id, &points, at).await?;
        run_metrics::update_summaries(&mut tx, org, *id, &points).await?;
        points_total += points.len() as u64;
        if *steps > 0 {
            let log = demo_log(&points, row.status);
            run_logs::append(&mut tx, org, *id, &log, at).await?;
        }
    }
    tx.commit().await?;
    finished.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(DemoRuns {
        runs: rows.len() as u64,
        points: points_total,
        best: finished.into_iter().map(|(_, name)| name).collect(),
    })
}

/// What [`demo_runs`] made: how many runs and points, and the completed runs' ids from the
/// lowest final loss up (the ones worth registering as models).
pub struct DemoRuns {
    pub runs: u64,
    pub points: u64,
    pub best: Vec<String>,
}

/// A log like a training script's: a line every ten epochs, and how it ended.
fn demo_log(points: &[MetricPoint], status: &str) -> String {
    let mut log = String::from("Loading data… 60000 training and 10000 validation samples\n");
    for p in points.iter().filter(|p| p.key == "loss" && p.step % 10 == 0) {
        log.push_str(&format!("step {:>4}  loss {:.4}\n", p.step, p.value));
    }
    log.push_str(match status {
        "failed" => "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n",
        "canceled" => "Received SIGTERM: run canceled\n",
        "running" => "",
        _ => "Training finished; model saved to outputs/model.pt\n",
    });
    log
}

/// A scale run's parameters: a unique seed, and an optimizer and learning rate taken by a third
/// and a quarter of the runs, for searches that filter on a common parameter.
fn scale_params(i: u64) -> String {
    let optimizer = ["adam", "adamw", "sgd"][(i % 3) as usize];
    let learning_rate = ["0.0001", "0.0003", "0.001", "0.003"][(i % 4) as usize];
    format!(
        "[[\"seed\",\"{i}\"],[\"optimizer\",\"{optimizer}\"],[\"learning_rate\",\"{learning_rate}\"]]"
    )
}

/// The benchmark workspace: `runs` runs over ten experiments, each with `points_per_run`
/// points of one metric, committed in batches and reported as it goes.
pub async fn scale_runs(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    owner: &UserRecord,
    actor: &Actor,
    options: ScaleOptions,
) -> anyhow::Result<(u64, u64)> {
    const EXPERIMENTS: u64 = 10;
    const BATCH: u64 = 2_000;
    let started = Instant::now();
    let mut ids = Vec::new();
    for n in 0..EXPERIMENTS {
        let name = ExperimentName::parse(&format!("scale-{n}"))?;
        let fields = ExperimentFields {
            name: &name,
            description: &Description::parse("Benchmark data from seed-demo --scale.")?,
            tags: &Tags::default(),
        };
        experiments::create(pool, ws, actor, &fields).await?;
        ids.push(experiment_id(pool, ws, name.as_str()).await?);
    }
    let (org, _) = tenant(ws);
    let statuses = ["completed", "completed", "completed", "failed", "running", "canceled"];
    let now = now();
    let mut noise = Noise::new(options.runs);
    let mut done = 0_u64;
    let mut points_total = 0_u64;
    while done < options.runs {
        let size = BATCH.min(options.runs - done);
        let experiment = ids[usize::try_from((done / BATCH) % EXPERIMENTS)?];
        let rows: Vec<NewRunRow> = (done..done + size)
            .map(|i| {
                let created = now - i64::try_from(options.runs - i).unwrap_or(0) * 13;
                let status = statuses[usize::try_from(i % 6).unwrap_or(0)];
                let ended = (status != "running").then_some(created + 60 + (i % 5000) as i64);
                NewRunRow {
                    name: format!("scale{i:010}"),
                    display_name: format!("trial_{i}"),
                    status,
                    params: scale_params(i),
                    created_at: created,
                    started_at: Some(created + 10),
                    ended_at: ended,
                }
            })
            .collect();
        let mut tx = crate::server::db::begin(pool).await?;
        let run_ids = insert_runs(&mut tx, ws, experiment, owner, &rows).await?;
        for id in run_ids {
            let curve = Curve::new(&mut noise);
            let points: Vec<MetricPoint> =
                training_points(&curve, i64::from(options.points_per_run), &mut noise)
                    .into_iter()
                    .filter(|p| p.key == "loss")
                    .collect();
            run_metrics::insert_points(&mut tx, org, id, &points, now).await?;
            run_metrics::update_summaries(&mut tx, org, id, &points).await?;
            points_total += points.len() as u64;
        }
        tx.commit().await?;
        done += size;
        let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
        tracing::info!("{done} of {} runs ({rate:.0} runs/s)", options.runs);
    }
    Ok((done, points_total))
}
