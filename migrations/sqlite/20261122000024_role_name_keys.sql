-- Role names are compared by key (NFKC, lower case) everywhere: an assignment keeps the key of
-- its role's name, so deleting or renaming a role by any spelling finds its assignments, and a
-- person cannot hold the same role twice at a scope under two spellings. Keys of existing rows
-- come from their custom role's stored key (computed by the application), else from the name.
ALTER TABLE role_assignments ADD COLUMN role_key TEXT NOT NULL DEFAULT '';
UPDATE role_assignments SET role_key = COALESCE(
    (SELECT d.name_key FROM role_definitions d
     WHERE d.organization_id = role_assignments.organization_id AND d.name = role_assignments.role_name),
    LOWER(role_name));
CREATE UNIQUE INDEX role_assignments_role_key ON role_assignments (user_id, role_key, scope_kind, scope_id);
CREATE INDEX role_assignments_organization_role ON role_assignments (organization_id, role_key);
