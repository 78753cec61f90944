-- Experiments and their runs (seed 002's taxonomy): parameters and tags as JSON arrays of
-- [name, value] pairs on the row (in the order given), metrics as time series, logs as
-- ordered chunks. Every row carries its tenant keys.

CREATE TABLE experiments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Kept with each run added or deleted, so that lists need not count millions of runs.
    run_count INTEGER NOT NULL DEFAULT 0,
    last_run_at INTEGER,
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    -- The run's id in URLs and the tracking API: random, unique in its workspace.
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    user_id INTEGER REFERENCES users (id),
    user_name TEXT NOT NULL,
    entry_point TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    -- ended_at - started_at in seconds, kept so that runs sort by it through an index; -1
    -- until the run has both started and ended (NULL would sort differently per backend).
    duration INTEGER NOT NULL DEFAULT -1,
    UNIQUE (workspace_id, name)
);
-- The runs table pages through (key, id) pairs: one index per filter and sort it offers.
CREATE INDEX runs_workspace ON runs (workspace_id, id);
CREATE INDEX runs_workspace_status ON runs (workspace_id, status, id);
CREATE INDEX runs_workspace_user ON runs (workspace_id, user_id, id);
CREATE INDEX runs_workspace_created ON runs (workspace_id, created_at, id);
CREATE INDEX runs_experiment ON runs (experiment_id, id);
CREATE INDEX runs_experiment_status ON runs (experiment_id, status, id);
CREATE INDEX runs_experiment_name ON runs (experiment_id, display_key, id);
CREATE INDEX runs_experiment_duration ON runs (experiment_id, duration, id);

-- One point of a metric's time series. Many millions of rows: no surrogate key.
CREATE TABLE run_metrics (
    organization_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    metric_key TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX run_metrics_series ON run_metrics (run_id, metric_key, step);

-- The latest value and range of each metric of a run, kept up to date as points arrive, so
-- runs tables show metric columns without reading the series.
CREATE TABLE run_metric_summaries (
    organization_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    metric_key TEXT NOT NULL,
    last_value REAL NOT NULL,
    last_step INTEGER NOT NULL,
    min_value REAL NOT NULL,
    max_value REAL NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (run_id, metric_key)
);

-- A run's output log, in the order it arrived.
CREATE TABLE run_logs (
    organization_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
);
