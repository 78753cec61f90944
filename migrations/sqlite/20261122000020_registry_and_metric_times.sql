-- MLflow's model version aliases ("champion" → version 3): a name per model, pointing at one
-- version; moved by setting it again, gone with its version or model.
CREATE TABLE model_aliases (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    model_id INTEGER NOT NULL REFERENCES models (id),
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (model_id, alias)
);

-- The time a tracking client gives each metric point, in milliseconds as it sent it (recorded_at
-- keeps seconds, for the studio); NULL for points typed into the studio. Each metric's latest
-- point keeps its time too, for the run's latest values.
ALTER TABLE run_metrics ADD COLUMN timestamp_ms INTEGER;
ALTER TABLE run_metric_summaries ADD COLUMN last_timestamp_ms INTEGER;
