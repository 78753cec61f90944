-- An invitation's link is kept (sealed) apart from its email's body, and forgotten as soon as it
-- is no longer needed: once emailed, or once the invitation is closed.
ALTER TABLE outbox ADD COLUMN sealed_link TEXT NOT NULL DEFAULT '';

-- Set when a person proves they receive mail at their address (by using an invitation link
-- sent there). Accepting invitations from the in-app inbox needs it.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
