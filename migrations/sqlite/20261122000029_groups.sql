-- Groups (teams) of an organization (issue 17): people and service principals of that
-- organization, named together as one principal in role assignments. Groups hold no groups.
CREATE TABLE access_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    -- The name compared (NFKC, lower case): "Data scientists" and "data Scientists" are one.
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, name_key)
);

CREATE TABLE access_group_members (
    group_id INTEGER NOT NULL REFERENCES access_groups (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    -- A group's managers may change its membership without roleAssignments/write.
    manager INTEGER NOT NULL DEFAULT 0,
    added_by INTEGER NOT NULL REFERENCES users (id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- How a decision finds the groups of its caller.
CREATE INDEX access_group_members_user ON access_group_members (user_id, organization_id);

-- A role assignment names a person (or service principal) or a group, never both. SQLite cannot
-- drop NOT NULL from a column, so the table is rebuilt with its rows, indexes and triggers;
-- nothing references it.
CREATE TABLE role_assignments_with_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER REFERENCES users (id),
    group_id INTEGER REFERENCES access_groups (id),
    role_name TEXT NOT NULL,
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'resource_group', 'workspace')),
    scope_id INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    reminder_sent_at INTEGER,
    role_key TEXT NOT NULL DEFAULT '',
    CHECK ((user_id IS NULL) <> (group_id IS NULL)),
    UNIQUE (user_id, role_name, scope_kind, scope_id)
);
INSERT INTO role_assignments_with_groups
    (id, organization_id, user_id, group_id, role_name, scope_kind, scope_id, created_by,
     created_at, expires_at, reminder_sent_at, role_key)
SELECT id, organization_id, user_id, NULL, role_name, scope_kind, scope_id, created_by,
       created_at, expires_at, reminder_sent_at, role_key
  FROM role_assignments;
DROP TABLE role_assignments;
ALTER TABLE role_assignments_with_groups RENAME TO role_assignments;
CREATE INDEX role_assignments_user ON role_assignments (user_id);
CREATE INDEX role_assignments_group ON role_assignments (group_id);
CREATE INDEX role_assignments_scope ON role_assignments (scope_kind, scope_id);
CREATE UNIQUE INDEX role_assignments_role_key ON role_assignments (user_id, role_key, scope_kind, scope_id);
CREATE UNIQUE INDEX role_assignments_group_role_key ON role_assignments (group_id, role_key, scope_kind, scope_id);
CREATE INDEX role_assignments_organization_role ON role_assignments (organization_id, role_key);

-- The access generation (migration 27) moves with every change that can change a decision:
-- assignments (again, on the rebuilt table), and who is in which group.
CREATE TRIGGER role_assignments_inserted AFTER INSERT ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = NEW.organization_id;
END;
CREATE TRIGGER role_assignments_updated AFTER UPDATE ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id IN (OLD.organization_id, NEW.organization_id);
END;
CREATE TRIGGER role_assignments_deleted AFTER DELETE ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = OLD.organization_id;
END;
CREATE TRIGGER access_group_members_inserted AFTER INSERT ON access_group_members BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = NEW.organization_id;
END;
CREATE TRIGGER access_group_members_updated AFTER UPDATE ON access_group_members BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id IN (OLD.organization_id, NEW.organization_id);
END;
CREATE TRIGGER access_group_members_deleted AFTER DELETE ON access_group_members BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = OLD.organization_id;
END;
