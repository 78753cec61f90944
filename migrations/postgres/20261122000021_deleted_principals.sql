-- Deleting a service principal keeps its row (the activity log, runs and experiments it made
-- still name it) but marks it gone, and frees its identity for a new principal of that name:
-- identities are unique among the accounts that are not deleted.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE deleted_at IS NULL;
