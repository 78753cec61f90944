-- Online endpoints and their deployments (seed 002: a model is deployed to an endpoint; traffic
-- is split between its deployments). Atelier records what is deployed and how traffic is
-- split; it runs no inference server, so a deployment is either succeeded or stopped.
-- Tags are JSON arrays of [name, value] pairs, as for experiments. Every row carries its
-- tenant keys.

CREATE TABLE endpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    auth_mode TEXT NOT NULL CHECK (auth_mode IN ('key', 'token')),
    -- Derived from the deployments, kept with each change to them so the list can filter and
    -- page by it without reading the deployments.
    state TEXT NOT NULL CHECK (state IN ('empty', 'healthy', 'degraded', 'stopped')),
    deployment_count INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Also the index the list pages through by name.
    UNIQUE (workspace_id, name_key)
);
CREATE INDEX endpoints_workspace_created ON endpoints (workspace_id, created_at, id);
CREATE INDEX endpoints_workspace_state ON endpoints (workspace_id, state, name_key);
CREATE INDEX endpoints_workspace_state_created ON endpoints (workspace_id, state, created_at, id);

CREATE TABLE endpoint_deployments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    endpoint_id INTEGER NOT NULL REFERENCES endpoints (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    -- The model version served: while a deployment refers to it, it cannot be deleted.
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    instance_type TEXT NOT NULL,
    instance_count INTEGER NOT NULL CHECK (instance_count BETWEEN 1 AND 20),
    traffic_percent INTEGER NOT NULL CHECK (traffic_percent BETWEEN 0 AND 100),
    state TEXT NOT NULL CHECK (state IN ('succeeded', 'stopped')),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- A stopped deployment serves nothing.
    CHECK (state = 'succeeded' OR traffic_percent = 0),
    -- Also the index an endpoint's deployments are read through.
    UNIQUE (endpoint_id, name_key)
);
-- For the model page (deployments serving a version) and refusing to delete a served version.
CREATE INDEX endpoint_deployments_model_version ON endpoint_deployments (model_version_id);
