-- A run's code snapshot: the archive of its scripts, unpacked once into the workspace's default
-- datastore; these rows list what it holds so its tree is browsed without touching the files.
CREATE TABLE run_snapshots (
    run_id INTEGER PRIMARY KEY REFERENCES runs (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    datastore_id INTEGER NOT NULL REFERENCES datastores (id),
    archive_name TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    total_size INTEGER NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE run_snapshot_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    UNIQUE (run_id, path)
);
