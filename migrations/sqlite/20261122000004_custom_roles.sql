-- Custom role definitions (seed 003), owned by an organization. Patterns and scopes are JSON
-- arrays of strings, as in Azure's role definition JSON.
CREATE TABLE role_definitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL,
    actions TEXT NOT NULL,
    not_actions TEXT NOT NULL,
    assignable_scopes TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, name_key)
);
