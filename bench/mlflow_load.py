"""Fills an MLflow tracking database with the runs of Atelier's benchmark workspace.

`cargo xtask bench` runs it with the venv's python. MLflow itself makes its schema (its own
SqlAlchemyStore, migrations included) and the experiments; the rows are then copied in bulk,
in SQL, from Atelier's seeded SQLite database (attached read-only): populating a million runs
through MLflow's REST API would take hours. So both servers hold the very same runs, names,
statuses, times, parameters, tags and metric values.

Metric history: each run gets at most --history points per metric (its latest ones); the
latest value of every metric (`latest_metrics`, what searches read) is always complete.

Usage: python mlflow_load.py --atelier-db A.db --mlflow-db OUT.db --artifacts DIR
                             [--workspace ORG/GROUP/NAME] [--history N]
"""

import argparse
import os
import sqlite3
import sys
import time

STATUS = """CASE r.status WHEN 'completed' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED'
    WHEN 'running' THEN 'RUNNING' WHEN 'canceled' THEN 'KILLED' ELSE 'SCHEDULED' END"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--atelier-db", required=True)
    parser.add_argument("--mlflow-db", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--workspace", default="demo-lab/benchmarks/scale")
    parser.add_argument("--history", type=int, default=50)
    args = parser.parse_args()
    started = time.monotonic()

    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    store = SqlAlchemyStore(f"sqlite:///{args.mlflow_db}", args.artifacts)
    db = sqlite3.connect(f"file:{args.mlflow_db}", uri=True, isolation_level=None)
    db.execute("ATTACH DATABASE ? AS a", (f"file:{args.atelier_db}?mode=ro",))
    workspace = db.execute(
        "SELECT w.id FROM a.workspaces w JOIN a.resource_groups g ON g.id = w.resource_group_id "
        "JOIN a.organizations o ON o.id = w.organization_id "
        "WHERE o.slug = ? AND g.name = ? AND w.name = ?",
        args.workspace.split("/"),
    ).fetchone()
    if workspace is None:
        sys.exit(f"mlflow_load: no workspace {args.workspace!r} in {args.atelier_db}")
    experiments = db.execute(
        "SELECT id, name FROM a.experiments WHERE workspace_id = ? ORDER BY id", workspace
    ).fetchall()
    db.execute("CREATE TEMP TABLE exp_map (atelier_id INTEGER PRIMARY KEY, mlflow_id, location)")
    for atelier_id, name in experiments:
        mlflow_id = store.create_experiment(name)
        location = store.get_experiment(mlflow_id).artifact_location
        db.execute("INSERT INTO exp_map VALUES (?, ?, ?)", (atelier_id, int(mlflow_id), location))
    store.engine.dispose()

    # Bulk load: no journal, indexes made once at the end.
    db.execute("PRAGMA main.journal_mode = OFF")
    db.execute("PRAGMA main.synchronous = OFF")
    db.execute("PRAGMA main.cache_size = -1000000")
    tables = ("runs", "tags", "params", "metrics", "latest_metrics")
    marks = ",".join("?" * len(tables))
    indexes = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')

    db.execute("BEGIN")
    step(
        "run ids",
        db,
        "CREATE TEMP TABLE run_map AS SELECT r.id AS aid, lower(hex(randomblob(16))) AS uuid "
        "FROM a.runs r JOIN exp_map e ON e.atelier_id = r.experiment_id ORDER BY r.id",
    )
    db.execute("CREATE UNIQUE INDEX temp.run_map_aid ON run_map (aid)")
    step(
        "runs",
        db,
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, "
        "status, start_time, end_time, deleted_time, source_version, lifecycle_stage, "
        "artifact_uri, experiment_id) "
        f"SELECT m.uuid, r.display_name, 'LOCAL', r.entry_point, '', r.user_name, {STATUS}, "
        "COALESCE(r.started_at, r.created_at) * 1000, r.ended_at * 1000, NULL, '', 'active', "
        "e.location || '/' || m.uuid || '/artifacts', e.mlflow_id "
        "FROM run_map m JOIN a.runs r ON r.id = m.aid JOIN exp_map e ON e.atelier_id = r.experiment_id",
    )
    step(
        "tags",
        db,
        "INSERT INTO tags (key, value, run_uuid) "
        "SELECT 'mlflow.runName', r.display_name, m.uuid FROM run_map m JOIN a.runs r ON r.id = m.aid "
        "UNION ALL SELECT 'mlflow.user', r.user_name, m.uuid FROM run_map m JOIN a.runs r ON r.id = m.aid "
        "UNION ALL SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), m.uuid "
        "FROM run_map m JOIN a.runs r ON r.id = m.aid, json_each(r.tags) j",
    )
    step(
        "params",
        db,
        "INSERT INTO params (key, value, run_uuid) "
        "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), m.uuid "
        "FROM run_map m JOIN a.runs r ON r.id = m.aid, json_each(r.params) j",
    )
    step(
        "latest metrics",
        db,
        "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) "
        "SELECT s.metric_key, s.last_value, COALESCE(r.started_at, r.created_at) * 1000, "
        "s.last_step, 0, m.uuid FROM run_map m JOIN a.runs r ON r.id = m.aid "
        "JOIN a.run_metric_summaries s ON s.run_id = m.aid",
    )
    step(
        "metric history",
        db,
        "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) "
        "SELECT p.metric_key, p.value, COALESCE(p.timestamp_ms, p.recorded_at * 1000), p.step, 0, "
        "m.uuid FROM run_map m JOIN a.run_metric_summaries s ON s.run_id = m.aid "
        "JOIN a.run_metrics p ON p.run_id = m.aid AND p.metric_key = s.metric_key "
        "AND p.step > s.last_step - ?",
        (args.history,),
    )
    db.execute("COMMIT")
    for name, sql in indexes:
        step(f"index {name}", db, sql)
    db.execute("PRAGMA main.journal_mode = DELETE")
    db.close()
    size = os.path.getsize(args.mlflow_db) / 1e9
    print(f"mlflow_load: done in {time.monotonic() - started:.1f} s ({size:.2f} GB)", flush=True)


def step(what, db, sql, params=()):
    started = time.monotonic()
    cursor = db.execute(sql, params)
    rows = f"{cursor.rowcount:,} rows, " if cursor.rowcount >= 0 else ""
    print(f"mlflow_load: {what}: {rows}{time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
