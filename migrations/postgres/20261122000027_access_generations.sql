-- A number every change to an organization's role assignments or role definitions raises, in
-- the same transaction (by these triggers, so no code path can forget it). Servers keep the
-- roles they read with the number they read them at, and read again when it has moved: a
-- revocation made by any server sharing the database counts on the next request of every one.
ALTER TABLE organizations ADD COLUMN access_generation BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION raise_access_generation() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE organizations SET access_generation = access_generation + 1
         WHERE id = OLD.organization_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.organization_id <> OLD.organization_id) THEN
        UPDATE organizations SET access_generation = access_generation + 1
         WHERE id = NEW.organization_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER role_assignments_changed AFTER INSERT OR UPDATE OR DELETE ON role_assignments
    FOR EACH ROW EXECUTE FUNCTION raise_access_generation();
CREATE TRIGGER role_definitions_changed AFTER INSERT OR UPDATE OR DELETE ON role_definitions
    FOR EACH ROW EXECUTE FUNCTION raise_access_generation();
