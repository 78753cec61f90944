-- An invitation offers either a role at a scope or a place in one of the organization's groups
-- (issue 17): a group invitation names its group and no role, and is made at the group's
-- organization. Its group's name is kept beside the reference, so that once the group is
-- deleted (the reference is then cleared, and its pending invitations revoked first) the
-- link can still say which group it was.
ALTER TABLE invitations ALTER COLUMN role_name DROP NOT NULL;
ALTER TABLE invitations ADD COLUMN group_id BIGINT REFERENCES access_groups (id) ON DELETE SET NULL;
ALTER TABLE invitations ADD COLUMN group_name TEXT;
ALTER TABLE invitations ADD CONSTRAINT invitations_one_offer
    CHECK ((role_name IS NULL) <> (group_name IS NULL));
ALTER TABLE invitations ADD CONSTRAINT invitations_group_at_organization
    CHECK (group_name IS NULL OR scope_kind = 'organization');
CREATE INDEX invitations_group ON invitations (group_id);
-- One pending invitation per address and scope for a role, and per address and group.
DROP INDEX invitations_one_pending;
CREATE UNIQUE INDEX invitations_one_pending ON invitations (scope_kind, scope_id, email)
    WHERE state = 'pending' AND role_name IS NOT NULL;
CREATE UNIQUE INDEX invitations_one_pending_in_group ON invitations (group_id, email)
    WHERE state = 'pending' AND group_id IS NOT NULL;
