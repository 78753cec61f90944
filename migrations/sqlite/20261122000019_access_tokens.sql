-- Programmatic access. Service principals are accounts that are not people (for pipelines and
-- CI): they belong to one organization, hold roles like anyone, never sign in (their password
-- hash matches nothing) and act only through their tokens.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'service_principal'));
ALTER TABLE users ADD COLUMN organization_id INTEGER REFERENCES organizations (id);
CREATE INDEX users_organization ON users (organization_id);

-- Access tokens act for one principal (a person or a service principal) with that principal's
-- roles, cut down by the token's reach and read-only limit.
CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    -- SHA-256 of the whole secret (hex). Secrets are 238 random bits: a slow hash would only
    -- slow every API call down, a fast one cannot be reversed either.
    token_hash TEXT NOT NULL UNIQUE,
    -- The secret's first characters, to tell tokens apart in lists ("atl_7Hq2…").
    hint TEXT NOT NULL,
    -- The reach: both NULL for everything the principal can reach; an organization; or one
    -- workspace of that organization.
    organization_id INTEGER REFERENCES organizations (id),
    workspace_id INTEGER REFERENCES workspaces (id),
    read_only INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    -- Written at most once a minute per token, so busy scripts do not write on every call.
    last_used_at INTEGER,
    last_used_from TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER
);
CREATE INDEX access_tokens_user ON access_tokens (user_id, id);
CREATE INDEX access_tokens_workspace ON access_tokens (workspace_id);
