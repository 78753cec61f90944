-- Pipelines: a named graph of steps (stored as JSON: name, command, compute, environment and
-- the steps each one runs after), and their runs. A run keeps the graph it was submitted with
-- and one row per step with that step's status and times. Tags are a JSON array of
-- [name, value] pairs, as for experiments. Every row carries its tenant keys.

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    graph TEXT NOT NULL,
    step_count INTEGER NOT NULL CHECK (step_count BETWEEN 1 AND 50),
    -- The newest run's status, '' before the first run: what the list filters on.
    last_run_status TEXT NOT NULL DEFAULT '',
    run_count INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Also the index the list pages through by name.
    UNIQUE (workspace_id, name_key)
);
-- One index per sortable column and for the status filter, each ending in a unique key so a
-- page starts exactly where the previous one ended.
CREATE INDEX pipelines_workspace_updated ON pipelines (workspace_id, updated_at, id);
CREATE INDEX pipelines_workspace_steps ON pipelines (workspace_id, step_count, id);
CREATE INDEX pipelines_workspace_last_run ON pipelines (workspace_id, last_run_status, name_key);

CREATE TABLE pipeline_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    pipeline_id INTEGER NOT NULL REFERENCES pipelines (id),
    -- 1, 2, 3… within the pipeline: the run's name in URLs.
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    graph TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    submitted_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    -- Seconds; -1 until the run has ended.
    duration INTEGER NOT NULL DEFAULT -1,
    UNIQUE (pipeline_id, number)
);
CREATE INDEX pipeline_runs_status ON pipeline_runs (pipeline_id, status, number);

CREATE TABLE pipeline_run_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    run_id INTEGER NOT NULL REFERENCES pipeline_runs (id),
    -- The step's place in the run's graph.
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    started_at INTEGER,
    ended_at INTEGER,
    UNIQUE (run_id, position)
);
