-- An item's activity section finds its events by name whatever the spelling each change used
-- ("SKLEARN" registers a version of "sklearn"), newest first, without scanning the workspace.
DROP INDEX IF EXISTS audit_events_workspace_target;
CREATE INDEX audit_events_workspace_target_key ON audit_events (workspace_id, LOWER(target), id);
