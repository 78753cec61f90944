-- Compute targets of a workspace (seeds 002 and 004): compute instances assigned to one person,
-- clusters that scale between a minimum (0 to save costs) and a maximum node count, and
-- attached compute managed elsewhere. Tags are a JSON array of [name, value] pairs, as for
-- experiments. Every row carries its tenant keys.

CREATE TABLE computes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('instance', 'cluster', 'attached')),
    vm_size TEXT NOT NULL,
    min_nodes INTEGER NOT NULL,
    max_nodes INTEGER NOT NULL,
    -- Instances only; 0 = never shut down when idle.
    idle_shutdown_minutes INTEGER NOT NULL DEFAULT 0,
    -- The person an instance is assigned to; NULL for clusters and attached compute. The
    -- name is kept so the record reads the same if the account goes.
    owner_user_id INTEGER REFERENCES users (id),
    owner_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('running', 'stopped', 'starting', 'stopping')),
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL,
    CHECK (min_nodes >= 0 AND min_nodes <= max_nodes AND max_nodes <= 100),
    CHECK (idle_shutdown_minutes >= 0 AND idle_shutdown_minutes <= 10080),
    -- Also the index the list pages through by name.
    UNIQUE (workspace_id, name_key)
);
CREATE INDEX computes_workspace_kind ON computes (workspace_id, kind, name_key);
