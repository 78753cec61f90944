-- Invitations (DESIGN.md §4): a role at a scope offered to an email address. Only the SHA-256
-- of the token is kept; the link with the token itself lives only in the (encrypted) outbox.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'resource_group', 'workspace')),
    scope_id INTEGER NOT NULL,
    -- Lower-cased, as accounts store it.
    email TEXT NOT NULL,
    role_name TEXT NOT NULL,
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
    closed_by INTEGER REFERENCES users (id)
);
CREATE INDEX invitations_scope ON invitations (organization_id, scope_kind, scope_id, state);
CREATE INDEX invitations_email ON invitations (email, state);
CREATE INDEX invitations_inviter ON invitations (invited_by, state);
-- One pending invitation per address and scope.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (scope_kind, scope_id, email)
    WHERE state = 'pending';

-- Mail waiting to go out, and what went. The body (which holds the link) is encrypted with
-- the server's key.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER REFERENCES organizations (id),
    invitation_id INTEGER REFERENCES invitations (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    sealed_body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'discarded')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox (invitation_id, id);

-- Time-boxed access: an assignment from an invitation with an end date ends then.
ALTER TABLE role_assignments ADD COLUMN expires_at INTEGER;
ALTER TABLE role_assignments ADD COLUMN reminder_sent_at INTEGER;

-- Whether anyone may sign up, or only people holding an invitation.
ALTER TABLE instance_settings ADD COLUMN open_sign_up INTEGER NOT NULL DEFAULT 1;
