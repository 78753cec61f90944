-- Links Atelier mails to prove an address ('confirm': at sign-up or for a new address) or to
-- choose a new password ('reset'). Only the token's hash is kept; a link works once, until
-- it expires. The inviter of an invitation can copy its link, so only these links, which no
-- one but the address's reader sees, prove an address.
CREATE TABLE account_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
    -- The address the link was mailed to, as typed, and lower-cased.
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX account_links_user ON account_links (user_id, purpose);

-- Which account link a message carries, so its link is forgotten once used or replaced.
ALTER TABLE outbox ADD COLUMN account_link_id INTEGER REFERENCES account_links (id);

-- An address is held by the one account that confirmed it; until then several accounts may
-- claim it, and whoever confirms first keeps it (the others are released).
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (email_key)
    WHERE deleted_at IS NULL AND (email_verified_at IS NOT NULL OR kind = 'service_principal');
CREATE INDEX users_email_key_claims ON users (email_key);
