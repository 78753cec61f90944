-- A number every change to an organization's role assignments or role definitions raises, in
-- the same transaction (by these triggers, so no code path can forget it). Servers keep the
-- roles they read with the number they read them at, and read again when it has moved: a
-- revocation made by any server sharing the database counts on the next request of every one.
ALTER TABLE organizations ADD COLUMN access_generation INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER role_assignments_inserted AFTER INSERT ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = NEW.organization_id;
END;
CREATE TRIGGER role_assignments_updated AFTER UPDATE ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id IN (OLD.organization_id, NEW.organization_id);
END;
CREATE TRIGGER role_assignments_deleted AFTER DELETE ON role_assignments BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = OLD.organization_id;
END;
CREATE TRIGGER role_definitions_inserted AFTER INSERT ON role_definitions BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = NEW.organization_id;
END;
CREATE TRIGGER role_definitions_updated AFTER UPDATE ON role_definitions BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id IN (OLD.organization_id, NEW.organization_id);
END;
CREATE TRIGGER role_definitions_deleted AFTER DELETE ON role_definitions BEGIN
    UPDATE organizations SET access_generation = access_generation + 1
     WHERE id = OLD.organization_id;
END;
