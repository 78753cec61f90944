-- Organizations (tenants), resource groups, workspaces, and who holds which role where.
-- Every tenant row carries organization_id, and every tenant query filters by it.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE resource_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, name_key)
);

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    resource_group_id INTEGER NOT NULL REFERENCES resource_groups (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    environment TEXT NOT NULL CHECK (environment IN ('development', 'test', 'production')),
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    -- Soft delete: set when deleted; the workspace is purged once purge_after has passed.
    deleted_at INTEGER,
    deleted_by INTEGER REFERENCES users (id),
    purge_after INTEGER,
    -- A deleted workspace keeps its name until purged, so that it can be restored.
    UNIQUE (resource_group_id, name_key)
);
CREATE INDEX workspaces_organization ON workspaces (organization_id);

CREATE TABLE workspace_tags (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag_key TEXT NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (workspace_id, tag_key)
);

-- (principal, role, scope). Built-in roles are named; scope is a kind and the id of the
-- organization, resource group or workspace.
CREATE TABLE role_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role_name TEXT NOT NULL,
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'resource_group', 'workspace')),
    scope_id INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, role_name, scope_kind, scope_id)
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);
CREATE INDEX role_assignments_scope ON role_assignments (scope_kind, scope_id);
