-- Whose each session is, since when and from where, so a person can list and end their
-- sessions and an administrator's "disable" can end all of an account's at once.
ALTER TABLE sessions ADD COLUMN user_id BIGINT;
ALTER TABLE sessions ADD COLUMN signed_in_at BIGINT;
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
CREATE INDEX sessions_user_id ON sessions (user_id);
-- A disabled account keeps its data but is refused everywhere until enabled again.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
