-- An invitation offers either a role at a scope or a place in one of the organization's groups
-- (issue 17): a group invitation names its group and no role, and is made at the group's
-- organization. Its group's name is kept beside the reference, so that once the group is
-- deleted (the reference is then cleared, and its pending invitations revoked first) the
-- link can still say which group it was.
--
-- SQLite cannot drop NOT NULL from role_name, so the table is rebuilt with its rows and
-- indexes. The outbox references it: its references are set aside while the table is
-- replaced and put back after, so that every foreign key holds at every statement.
CREATE TEMPORARY TABLE outbox_invitations AS
    SELECT id, invitation_id FROM outbox WHERE invitation_id IS NOT NULL;
UPDATE outbox SET invitation_id = NULL WHERE invitation_id IS NOT NULL;

CREATE TABLE invitations_with_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'resource_group', 'workspace')),
    scope_id INTEGER NOT NULL,
    -- Lower-cased, as accounts store it.
    email TEXT NOT NULL,
    -- The role offered; NULL for a group invitation.
    role_name TEXT,
    -- The group offered; NULL for a role invitation, and once the group is deleted.
    group_id INTEGER REFERENCES access_groups (id) ON DELETE SET NULL,
    -- The group's name (kept up with renames); NULL for a role invitation.
    group_name TEXT,
    message TEXT NOT NULL DEFAULT '',
    -- When set, the assignment made on acceptance ends at this time.
    access_expires_at INTEGER,
    token_hash TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    invited_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    -- When the current token was issued (creation, or the last resend).
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    closed_at INTEGER,
    closed_by INTEGER REFERENCES users (id),
    CHECK ((role_name IS NULL) <> (group_name IS NULL)),
    CHECK (group_name IS NULL OR scope_kind = 'organization')
);
INSERT INTO invitations_with_groups
    (id, organization_id, scope_kind, scope_id, email, role_name, group_id, group_name, message,
     access_expires_at, token_hash, state, invited_by, created_at, sent_at, expires_at,
     closed_at, closed_by)
SELECT id, organization_id, scope_kind, scope_id, email, role_name, NULL, NULL, message,
       access_expires_at, token_hash, state, invited_by, created_at, sent_at, expires_at,
       closed_at, closed_by
  FROM invitations;
-- Ids of deleted invitations are not handed out again.
DELETE FROM sqlite_sequence WHERE name = 'invitations_with_groups';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'invitations_with_groups', seq FROM sqlite_sequence WHERE name = 'invitations';
DROP TABLE invitations;
ALTER TABLE invitations_with_groups RENAME TO invitations;

UPDATE outbox SET invitation_id = (SELECT o.invitation_id FROM outbox_invitations o
    WHERE o.id = outbox.id) WHERE id IN (SELECT id FROM outbox_invitations);
DROP TABLE outbox_invitations;

CREATE INDEX invitations_scope ON invitations (organization_id, scope_kind, scope_id, state);
CREATE INDEX invitations_email ON invitations (email, state);
CREATE INDEX invitations_inviter ON invitations (invited_by, state);
CREATE INDEX invitations_group ON invitations (group_id);
-- One pending invitation per address and scope for a role, and per address and group.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (scope_kind, scope_id, email)
    WHERE state = 'pending' AND role_name IS NOT NULL;
CREATE UNIQUE INDEX invitations_one_pending_in_group ON invitations (group_id, email)
    WHERE state = 'pending' AND group_id IS NOT NULL;
