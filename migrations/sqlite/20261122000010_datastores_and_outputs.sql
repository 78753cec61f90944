-- Datastores (where a workspace's files live) and the files runs write to them. Credentials of
-- S3-compatible stores are sealed with the server's key (ChaCha20-Poly1305), never stored plain.

CREATE TABLE datastores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('local', 's3')),
    -- local: a directory below the workspace's storage root; s3: the key prefix in the bucket.
    path TEXT NOT NULL DEFAULT '',
    bucket TEXT NOT NULL DEFAULT '',
    endpoint TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    access_key_id TEXT NOT NULL DEFAULT '',
    sealed_secret TEXT,
    description TEXT NOT NULL DEFAULT '',
    is_default INTEGER NOT NULL DEFAULT 0,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

-- Every workspace has its default datastore, as in Azure: local, named workspaceblobstore.
INSERT INTO datastores (organization_id, workspace_id, name, kind, path, description, is_default,
    created_by_name, created_at, updated_at)
SELECT organization_id, id, 'workspaceblobstore', 'local', 'workspaceblobstore',
    'Run outputs, logs and code snapshots.', 1, 'Atelier', created_at, created_at
FROM workspaces;

CREATE TABLE run_outputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    datastore_id INTEGER NOT NULL REFERENCES datastores (id),
    -- Relative, '/'-separated, e.g. outputs/model.pt.
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, path)
);
