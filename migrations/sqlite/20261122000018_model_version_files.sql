-- A model version's artifact files: copied from its run's outputs or uploaded when it was
-- registered, kept in the workspace's default datastore under models/<model id>/<version>/,
-- so they outlive the run and go only with the version. Paths are relative to that folder.
CREATE TABLE model_version_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    datastore_id INTEGER NOT NULL REFERENCES datastores (id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    -- Also the index a version's files are listed and found through.
    UNIQUE (model_version_id, path)
);
