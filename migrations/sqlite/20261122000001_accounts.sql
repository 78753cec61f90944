-- Instance-wide tables: people and sessions belong to the instance, not to one tenant.
-- Tenant tables (organizations and everything under them) carry organization_id.

CREATE TABLE instance_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- Set once, atomically, by the first sign-up: that account becomes instance admin.
    admin_claimed INTEGER NOT NULL DEFAULT 0,
    -- 1: any signed-in person may create organizations; 0: only the instance admin.
    anyone_may_create_organizations INTEGER NOT NULL DEFAULT 1
);
INSERT INTO instance_settings (id) VALUES (1);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    -- Lower-cased email: the identity used for uniqueness and sign-in.
    email_key TEXT NOT NULL,
    display_name TEXT NOT NULL,
    -- Argon2id PHC string.
    password_hash TEXT NOT NULL,
    is_instance_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

CREATE TABLE sessions (
    -- SHA-256 of the session id: a copy of this table cannot be replayed as cookies.
    id_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
