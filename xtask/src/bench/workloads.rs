//! The workloads and their targets (issue 16): pages and server functions of a signed-in
//! person, the tracking API's writes and searches (the same requests to Atelier and to
//! MLflow), sign-ins at a steady rate under page load, and a static file.

use serde_json::{json, Value};

use super::data::{Shape, WORKSPACE, WRITE_WORKSPACE};
use super::http::Request;
use super::load::{self, Load, Measured, Paced, Script};
use super::results::{Row, Target};
use super::server::Server;
use super::session::{sign_in_request, Session, Tracking};

/// Points in one log-batch request (MLflow's limit).
const BATCH_POINTS: u32 = 1000;
/// Sign-ins a second during the page workload.
const SIGN_INS_PER_SECOND: u32 = 20;

/// A workload of the tracking API, run against both servers.
struct TrackingWorkload {
    name: String,
    label: &'static str,
    per_request: f64,
    unit: &'static str,
    target: Target,
    script: fn(&Tracking, &Shape) -> Script,
}

fn tracking_workloads() -> Vec<TrackingWorkload> {
    let search = |name: &str, label, target, script| TrackingWorkload {
        name: format!("search-runs over all runs: {name}"),
        label,
        per_request: 1.0,
        unit: "req/s",
        target,
        script,
    };
    vec![
        TrackingWorkload {
            name: "log-metric (one point)".into(),
            label: "log-metric",
            per_request: 1.0,
            unit: "req/s",
            target: Target::rate(3_000.0).and_ratio(40.0),
            script: |t, _| logging_script(t, "runs/log-metric", "log_metric.lua"),
        },
        TrackingWorkload {
            name: format!("log-batch ({BATCH_POINTS} points)"),
            label: "log-batch",
            per_request: f64::from(BATCH_POINTS),
            unit: "points/s",
            target: Target::rate(200_000.0).and_ratio(20.0),
            script: |t, _| {
                logging_script(t, "runs/log-batch", "log_batch.lua")
                    .set("BENCH_POINTS", BATCH_POINTS.to_string())
            },
        },
        search("top 100, no filter", "search: top 100", Target::p99(50.0), |t, _| {
            search_script(t, None, None)
        }),
        search(
            "metric filter, ordered by it",
            "search: metric filter",
            Target::p99(200.0),
            |t, _| search_script(t, Some("metrics.loss < 0.25"), Some("metrics.loss ASC")),
        ),
        search(
            "param filter, ordered by a metric",
            "search: param filter",
            Target::p99(500.0),
            |t, _| search_script(t, Some("params.optimizer = 'adam'"), Some("metrics.loss ASC")),
        ),
        search(
            "run name LIKE '%term%' (one match)",
            "search: run name text",
            Target::p99(100.0),
            |t, shape| {
                let filter = format!("attributes.run_name LIKE '%{}%'", rare_name(shape));
                search_script(t, Some(&filter), None)
            },
        ),
    ]
}

/// A run name that occurs once: `trial_N` with N near the end (`trial_9876` of 10,000 runs,
/// `trial_987654` of a million), which no longer name contains.
fn rare_name(shape: &Shape) -> String {
    format!("trial_{}", shape.runs * 987_654 / 1_000_000)
}

fn search_script(tracking: &Tracking, filter: Option<&str>, order: Option<&str>) -> Script {
    let mut body = json!({"experiment_ids": tracking.experiment_ids, "max_results": 100});
    if let Some(filter) = filter {
        body["filter"] = Value::from(filter);
    }
    if let Some(order) = order {
        body["order_by"] = json!([order]);
    }
    Script::fixed(&tracking.request("runs/search", &body))
}

fn logging_script(tracking: &Tracking, endpoint: &str, file: &'static str) -> Script {
    Script::with_request(file, &tracking.request(endpoint, &json!({})))
        .set("BENCH_RUNS", tracking.run_ids.join(","))
}

/// Checks that `request` answers 200 before it is sent by the thousand.
fn check(port: u16, request: &Request, what: &str) -> anyhow::Result<()> {
    request.send(port)?.ok(&format!("checking the workload {what:?}"))?;
    Ok(())
}

/// Measures `script`, then waits until the server is idle again.
fn run(load: &Load, server: &Server, what: &str, script: &Script) -> anyhow::Result<Measured> {
    let measured = measure(load, server, what, script);
    server.wait_until_idle();
    measured
}

fn measure(load: &Load, server: &Server, what: &str, script: &Script) -> anyhow::Result<Measured> {
    eprintln!("xtask: {}: {what}", server.name);
    let measured = load::measure(load, server.port, script)?;
    eprintln!(
        "xtask:   {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors",
        measured.rate(),
        measured.p50_ms,
        measured.p99_ms,
        measured.errors
    );
    Ok(measured)
}

/// A row of a workload Atelier alone runs, counted in requests.
fn row(name: &str, label: &'static str, target: Target, atelier: Measured) -> Row {
    let name = name.to_owned();
    let alone_ms = [None, None];
    Row { name, label, per_request: 1.0, unit: "req/s", target, atelier, mlflow: None, alone_ms }
}

/// What the Atelier workloads found, with the memory after the page workload.
pub struct AtelierRun {
    pub rows: Vec<Row>,
    pub memory_after_pages: u64,
}

/// Every workload against Atelier, writes last (they change the data the reads see).
pub fn atelier(
    load: &Load,
    server: &Server,
    session: &Session,
    tracking: &Tracking,
    shape: &Shape,
) -> anyhow::Result<AtelierRun> {
    let (org, group, ws) = WORKSPACE;
    let port = server.port;
    let mut rows = Vec::new();

    let runs_page = format!("/organizations/{org}/resourceGroups/{group}/workspaces/{ws}/runs");
    let page = session.page(&runs_page).header("Accept-Encoding", "br, gzip");
    check(port, &page, "runs page")?;
    let page_target = Target::rate(10_000.0).and_p99(20.0);
    let measured = run(load, server, "runs page", &Script::fixed(&page))?;
    let memory_after_pages = server.resident_bytes();
    rows.push(row("Runs page, signed in (SSR, 50 rows)", "runs page (SSR)", page_target, measured));

    let list = session.server_fn(
        "runs/list",
        &[("organization", org), ("resource_group", group), ("workspace", ws)],
    );
    check(port, &list, "runs/list")?;
    let measured = run(load, server, "runs/list", &Script::fixed(&list))?;
    rows.push(row(
        "Read server function (runs/list, 50 rows)",
        "runs/list (JSON)",
        Target::rate(15_000.0).and_p99(10.0),
        measured,
    ));

    let css = Request::get(session.stylesheet(&runs_page)?).header("Accept-Encoding", "br, gzip");
    check(port, &css, "stylesheet")?;
    let measured = run(load, server, "static file", &Script::fixed(&css))?;
    rows.push(row(
        "Static file (/static/<digest>/pkg/atelier.css)",
        "static file",
        Target::rate(30_000.0),
        measured,
    ));

    let sign_in = sign_in_request(&session.email, &session.password);
    check(port, &sign_in, "sign-in")?;
    eprintln!(
        "xtask: Atelier: {SIGN_INS_PER_SECOND} sign-ins a second during the runs page workload"
    );
    let paced = Paced::start(port, sign_in, SIGN_INS_PER_SECOND);
    let pages = measure(load, server, "runs page under sign-ins", &Script::fixed(&page));
    let sign_ins = paced.finish();
    server.wait_until_idle();
    eprintln!("xtask:   sign-in p50 {:.1} ms, p99 {:.1} ms", sign_ins.p50_ms, sign_ins.p99_ms);
    rows.push(row(
        &format!("Sign-in at {SIGN_INS_PER_SECOND}/s during the runs page workload"),
        "sign-in at 20/s",
        Target::p99(60.0),
        sign_ins,
    ));
    rows.push(row(
        "Runs page while signing in at 20/s (target within 20%)",
        "runs page + sign-ins",
        page_target.within(0.2),
        pages?,
    ));

    for workload in tracking_workloads() {
        let script = (workload.script)(tracking, shape);
        let alone = load::alone(port, &script);
        let atelier = run(load, server, &workload.name, &script)?;
        rows.push(Row {
            name: format!("MLflow API: {}", workload.name),
            label: workload.label,
            per_request: workload.per_request,
            unit: workload.unit,
            target: workload.target,
            atelier,
            mlflow: None,
            alone_ms: [alone, None],
        });
    }

    let (org, group, ws) = WRITE_WORKSPACE;
    let form = [
        ("organization", org),
        ("resource_group", group),
        ("workspace", ws),
        ("name", "bench-check"),
    ];
    let create = session.server_fn("experiments/create", &form);
    check(port, &create, "experiments/create")?;
    let form = session.server_fn("experiments/create", &form[..3]);
    let script =
        Script::with_request("create_experiment.lua", &form).set("BENCH_BODY", form.body.clone());
    let measured = run(load, server, "experiments/create", &script)?;
    rows.push(row(
        "Write server function (experiments/create, one row)",
        "experiments/create",
        Target::rate(2_000.0).and_p99(50.0),
        measured,
    ));
    Ok(AtelierRun { rows, memory_after_pages })
}

/// The tracking workloads against MLflow, into the rows Atelier's filled. MLflow works
/// through every search it accepted even after the client left, which at a million runs takes
/// minutes: when it is still busy a minute after a workload, it is started again (`restart`),
/// so the next workload does not share it with the last one's backlog. Returns the server.
pub fn mlflow(
    load: &Load,
    mut server: Server,
    restart: impl Fn() -> anyhow::Result<Server>,
    tracking: &Tracking,
    shape: &Shape,
    rows: &mut [Row],
) -> anyhow::Result<Server> {
    for workload in tracking_workloads() {
        let script = (workload.script)(tracking, shape);
        let alone = load::alone(server.port, &script);
        let measured = measure(load, &server, &workload.name, &script)?;
        if !server.wait_until_idle() {
            drop(server);
            server = restart()?;
        }
        if let Some(row) = rows.iter_mut().find(|r| r.label == workload.label) {
            row.mlflow = Some(measured);
            row.alone_ms[1] = alone;
        }
    }
    Ok(server)
}
