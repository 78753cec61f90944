-- What `runs/search` needs to answer in the database rather than in memory (issue 16): each
-- run's parameters and tags as rows (kept from the JSON on the run by triggers, so no writer can
-- forget them), each metric summary's experiment, the runs of an experiment in MLflow's default
-- order (newest start first, then run id), and a trigram index over run names for
-- `run_name LIKE '%term%'`.

CREATE TABLE run_params (
    organization_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    experiment_id INTEGER NOT NULL,
    param_key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, param_key)
);
CREATE INDEX run_params_search ON run_params (experiment_id, param_key, value, run_id);

CREATE TABLE run_tags (
    organization_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    experiment_id INTEGER NOT NULL,
    tag_key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, tag_key)
);
CREATE INDEX run_tags_search ON run_tags (experiment_id, tag_key, value, run_id);

-- The first of a repeated key counts, as when a search reads the JSON.
INSERT OR IGNORE INTO run_params (organization_id, run_id, experiment_id, param_key, value)
    SELECT r.organization_id, r.id, r.experiment_id, json_extract(p.value, '$[0]'),
           json_extract(p.value, '$[1]')
      FROM runs r, json_each(r.params) p ORDER BY r.id, p.key;
INSERT OR IGNORE INTO run_tags (organization_id, run_id, experiment_id, tag_key, value)
    SELECT r.organization_id, r.id, r.experiment_id, json_extract(t.value, '$[0]'),
           json_extract(t.value, '$[1]')
      FROM runs r, json_each(r.tags) t ORDER BY r.id, t.key;

CREATE TRIGGER runs_pairs_inserted AFTER INSERT ON runs BEGIN
    INSERT OR IGNORE INTO run_params (organization_id, run_id, experiment_id, param_key, value)
        SELECT NEW.organization_id, NEW.id, NEW.experiment_id, json_extract(p.value, '$[0]'),
               json_extract(p.value, '$[1]')
          FROM json_each(NEW.params) p ORDER BY p.key;
    INSERT OR IGNORE INTO run_tags (organization_id, run_id, experiment_id, tag_key, value)
        SELECT NEW.organization_id, NEW.id, NEW.experiment_id, json_extract(t.value, '$[0]'),
               json_extract(t.value, '$[1]')
          FROM json_each(NEW.tags) t ORDER BY t.key;
END;
CREATE TRIGGER runs_params_updated AFTER UPDATE OF params ON runs BEGIN
    DELETE FROM run_params WHERE run_id = NEW.id;
    INSERT OR IGNORE INTO run_params (organization_id, run_id, experiment_id, param_key, value)
        SELECT NEW.organization_id, NEW.id, NEW.experiment_id, json_extract(p.value, '$[0]'),
               json_extract(p.value, '$[1]')
          FROM json_each(NEW.params) p ORDER BY p.key;
END;
CREATE TRIGGER runs_tags_updated AFTER UPDATE OF tags ON runs BEGIN
    DELETE FROM run_tags WHERE run_id = NEW.id;
    INSERT OR IGNORE INTO run_tags (organization_id, run_id, experiment_id, tag_key, value)
        SELECT NEW.organization_id, NEW.id, NEW.experiment_id, json_extract(t.value, '$[0]'),
               json_extract(t.value, '$[1]')
          FROM json_each(NEW.tags) t ORDER BY t.key;
END;

ALTER TABLE run_metric_summaries ADD COLUMN experiment_id INTEGER;
UPDATE run_metric_summaries
   SET experiment_id = (SELECT r.experiment_id FROM runs r WHERE r.id = run_id);
CREATE INDEX run_metric_summaries_search
    ON run_metric_summaries (experiment_id, metric_key, last_value, run_id);

CREATE INDEX runs_experiment_start
    ON runs (experiment_id, (COALESCE(started_at, created_at)) DESC, name);

-- Trigrams of run names: `LIKE '%term%'` finds the few runs named so without reading them all.
-- The names stay on `runs` (external content); these triggers keep the index in step.
CREATE VIRTUAL TABLE run_names USING fts5 (
    display_name, tokenize = 'trigram', content = 'runs', content_rowid = 'id'
);
INSERT INTO run_names (run_names) VALUES ('rebuild');
CREATE TRIGGER runs_name_inserted AFTER INSERT ON runs BEGIN
    INSERT INTO run_names (rowid, display_name) VALUES (NEW.id, NEW.display_name);
END;
CREATE TRIGGER runs_name_deleted AFTER DELETE ON runs BEGIN
    INSERT INTO run_names (run_names, rowid, display_name)
        VALUES ('delete', OLD.id, OLD.display_name);
END;
CREATE TRIGGER runs_name_updated AFTER UPDATE OF display_name ON runs BEGIN
    INSERT INTO run_names (run_names, rowid, display_name)
        VALUES ('delete', OLD.id, OLD.display_name);
    INSERT INTO run_names (rowid, display_name) VALUES (NEW.id, NEW.display_name);
END;
