-- Registered models and their versions (seed 002's model registry). A model is a name in a
-- workspace; each registration adds a version, numbered 1, 2, 3… per model and never reused,
-- optionally linked to the run that produced it. Tags are JSON arrays of [name, value] pairs,
-- as for experiments. Every row carries its tenant keys.

CREATE TABLE models (
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
    -- Kept with each version added or deleted, so that lists need not read the versions.
    -- latest_version is the highest version that exists (0 for none); next_version the number
    -- the next registration gets, so a deleted version's number is not given out again.
    latest_version INTEGER NOT NULL DEFAULT 0,
    version_count INTEGER NOT NULL DEFAULT 0,
    next_version INTEGER NOT NULL DEFAULT 1,
    -- Also the index the models list pages through (workspace, name key).
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE model_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    model_id INTEGER NOT NULL REFERENCES models (id),
    version INTEGER NOT NULL,
    -- The run that produced the version; set to NULL when that run is deleted, while
    -- source_run_name keeps the run's id so the model page can say it was deleted.
    source_run_id INTEGER REFERENCES runs (id),
    source_run_name TEXT,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    stage TEXT NOT NULL DEFAULT 'None'
        CHECK (stage IN ('None', 'Staging', 'Production', 'Archived')),
    framework TEXT NOT NULL DEFAULT '',
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- Also the index a model's versions are read through.
    UNIQUE (model_id, version)
);
-- At most one version of a model is in production: the database holds the rule too.
CREATE UNIQUE INDEX model_versions_one_production ON model_versions (model_id)
    WHERE stage = 'Production';
-- For a run's page (versions registered from it) and for unlinking a run being deleted.
CREATE INDEX model_versions_source_run ON model_versions (source_run_id);

-- A model page's activity: its events in the workspace, newest first.
CREATE INDEX audit_events_workspace_target ON audit_events (workspace_id, target, id);
