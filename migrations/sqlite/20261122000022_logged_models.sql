-- MLflow 3's logged models (what `mlflow.<flavor>.log_model` makes): an id of MLflow's shape
-- (m-…), a status, parameters, tags and the metrics logged for the model. Atelier keeps a
-- logged model's files among the outputs of the run that logged it, in the folder
-- artifact_path, so the run's pages list them and registering copies them; the model goes
-- with that run (run_id is its source run, named so that the run's deletion clears it).
CREATE TABLE logged_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    model_id TEXT NOT NULL,
    name TEXT NOT NULL,
    model_type TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'READY', 'FAILED')),
    artifact_path TEXT NOT NULL,
    -- JSON arrays: params and tags as [name, value] pairs, metrics as MLflow's metric objects.
    params TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    metrics TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, model_id),
    UNIQUE (run_id, artifact_path)
);
-- A search reads an experiment's models.
CREATE INDEX logged_models_experiment ON logged_models (experiment_id, id);

-- The models a run produced (MLflow's run outputs), at a step: usually the run's own, but a run
-- may name a model another run logged, so a row goes with its run or with its model.
CREATE TABLE run_model_outputs (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    logged_model_id INTEGER NOT NULL REFERENCES logged_models (id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    PRIMARY KEY (run_id, logged_model_id)
);
CREATE INDEX run_model_outputs_model ON run_model_outputs (logged_model_id);

-- A model version registered from a logged model (models:/m-…) keeps that model's id, as
-- MLflow's versions do; the text stays after the logged model is deleted, like
-- source_run_name.
ALTER TABLE model_versions ADD COLUMN logged_model_id TEXT;
