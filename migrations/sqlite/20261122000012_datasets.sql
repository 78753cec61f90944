-- Data assets and their numbered versions. A version is an uploaded file (kept in the
-- workspace's default datastore, with its size and SHA-256) or a URI. The asset row carries a
-- copy of its latest version's format, size, time, description and tags, so the list reads one
-- row per asset through an index for every sort and filter, whatever the number of versions.

CREATE TABLE datasets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    -- Numbers are never reused while the asset exists, even after a version is deleted.
    next_version INTEGER NOT NULL,
    latest_version INTEGER NOT NULL,
    latest_format TEXT NOT NULL,
    -- Bytes of the latest version's upload; -1 for a URI (size unknown), so it sorts first.
    latest_size INTEGER NOT NULL,
    latest_at INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name_key)
);
CREATE INDEX datasets_workspace_latest_at ON datasets (workspace_id, latest_at, id);
CREATE INDEX datasets_workspace_size ON datasets (workspace_id, latest_size, id);
CREATE INDEX datasets_workspace_format_name ON datasets (workspace_id, latest_format, name_key);
CREATE INDEX datasets_workspace_format_latest_at
    ON datasets (workspace_id, latest_format, latest_at, id);
CREATE INDEX datasets_workspace_format_size ON datasets (workspace_id, latest_format, latest_size, id);

CREATE TABLE dataset_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    dataset_id INTEGER NOT NULL REFERENCES datasets (id),
    version INTEGER NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('csv', 'parquet', 'jsonl', 'uri_file', 'uri_folder')),
    -- A reference: the URI as given. Empty for an upload.
    uri TEXT NOT NULL DEFAULT '',
    -- An upload: the datastore holding it, its file name, size and digest.
    datastore_id INTEGER REFERENCES datastores (id),
    file_name TEXT NOT NULL DEFAULT '',
    size INTEGER,
    sha256 TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (dataset_id, version)
);
