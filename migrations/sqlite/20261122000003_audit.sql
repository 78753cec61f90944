-- The activity log: every change, written in the same transaction as the change itself.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- NULL for instance-wide events (instance settings).
    organization_id INTEGER REFERENCES organizations (id),
    -- The scope acted on, for filtering an activity log by scope: the group and workspace it
    -- sits in, where there is one. Ids, not names: names change, history should not.
    resource_group_id INTEGER,
    workspace_id INTEGER,
    actor_user_id INTEGER REFERENCES users (id),
    -- The actor's name at the time, so the record reads the same later.
    actor_name TEXT NOT NULL,
    -- The Azure action string of what was done.
    action TEXT NOT NULL,
    -- The scope path at the time, as people read it.
    scope_path TEXT NOT NULL,
    target TEXT NOT NULL,
    -- JSON: before/after where it matters.
    details TEXT NOT NULL,
    client_address TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_events_organization ON audit_events (organization_id, id);
CREATE INDEX audit_events_resource_group ON audit_events (resource_group_id, id);
CREATE INDEX audit_events_workspace ON audit_events (workspace_id, id);
