-- What `runs/search` needs to answer in the database rather than in memory (issue 16): each
-- run's parameters and tags as rows (kept from the JSON on the run by triggers, so no writer can
-- forget them), each metric summary's experiment, the runs of an experiment in MLflow's default
-- order (newest start first, then run id), and a trigram index over run names for
-- `run_name LIKE '%term%'` where the pg_trgm extension can be created.

CREATE TABLE run_params (
    organization_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL REFERENCES runs (id),
    experiment_id BIGINT NOT NULL,
    param_key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, param_key)
);
-- Values compare byte by byte (COLLATE "C"), as MLflow's clients and SQLite do.
CREATE INDEX run_params_search ON run_params (experiment_id, param_key, value COLLATE "C", run_id);

CREATE TABLE run_tags (
    organization_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL REFERENCES runs (id),
    experiment_id BIGINT NOT NULL,
    tag_key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, tag_key)
);
CREATE INDEX run_tags_search ON run_tags (experiment_id, tag_key, value COLLATE "C", run_id);

-- A run's parameters and tags as rows; the first of a repeated key counts.
CREATE FUNCTION index_run_pairs() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.params IS DISTINCT FROM OLD.params THEN
        DELETE FROM run_params WHERE run_id = NEW.id;
        INSERT INTO run_params (organization_id, run_id, experiment_id, param_key, value)
            SELECT NEW.organization_id, NEW.id, NEW.experiment_id, p.pair->>0, p.pair->>1
              FROM jsonb_array_elements(NEW.params::jsonb) WITH ORDINALITY AS p (pair, n)
             ORDER BY p.n
        ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.tags IS DISTINCT FROM OLD.tags THEN
        DELETE FROM run_tags WHERE run_id = NEW.id;
        INSERT INTO run_tags (organization_id, run_id, experiment_id, tag_key, value)
            SELECT NEW.organization_id, NEW.id, NEW.experiment_id, t.pair->>0, t.pair->>1
              FROM jsonb_array_elements(NEW.tags::jsonb) WITH ORDINALITY AS t (pair, n)
             ORDER BY t.n
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

INSERT INTO run_params (organization_id, run_id, experiment_id, param_key, value)
    SELECT r.organization_id, r.id, r.experiment_id, p.pair->>0, p.pair->>1
      FROM runs r, jsonb_array_elements(r.params::jsonb) WITH ORDINALITY AS p (pair, n)
     ORDER BY r.id, p.n
ON CONFLICT DO NOTHING;
INSERT INTO run_tags (organization_id, run_id, experiment_id, tag_key, value)
    SELECT r.organization_id, r.id, r.experiment_id, t.pair->>0, t.pair->>1
      FROM runs r, jsonb_array_elements(r.tags::jsonb) WITH ORDINALITY AS t (pair, n)
     ORDER BY r.id, t.n
ON CONFLICT DO NOTHING;

CREATE TRIGGER runs_pairs_changed AFTER INSERT OR UPDATE OF params, tags ON runs
    FOR EACH ROW EXECUTE FUNCTION index_run_pairs();

ALTER TABLE run_metric_summaries ADD COLUMN experiment_id BIGINT;
UPDATE run_metric_summaries s SET experiment_id = r.experiment_id FROM runs r WHERE r.id = s.run_id;
CREATE INDEX run_metric_summaries_search
    ON run_metric_summaries (experiment_id, metric_key, last_value, run_id);

CREATE INDEX runs_experiment_start
    ON runs (experiment_id, (COALESCE(started_at, created_at)) DESC, name COLLATE "C");

-- Trigrams of run names, where the server lets this database create pg_trgm (a trusted
-- extension since PostgreSQL 13: the database's owner may); without it, searches read names.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): run name searches read every name', SQLERRM;
END;
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX runs_display_name_trigrams ON runs USING gin (display_name gin_trgm_ops);
    END IF;
END;
$$;
