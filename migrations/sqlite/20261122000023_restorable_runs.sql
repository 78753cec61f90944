-- Runs and experiments deleted through the tracking API stay restorable (MLflow's
-- `restore_run` / `restore_experiment`) until `purge_after`, when Atelier removes them with
-- their files. The studio does not show them; an experiment deleted this way keeps its name.
ALTER TABLE runs ADD COLUMN deleted_at INTEGER;
ALTER TABLE runs ADD COLUMN purge_after INTEGER;
-- 1 when the run went with its experiment: restoring the experiment brings back those runs only.
ALTER TABLE runs ADD COLUMN deleted_with_experiment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE experiments ADD COLUMN deleted_at INTEGER;
ALTER TABLE experiments ADD COLUMN purge_after INTEGER;
CREATE INDEX runs_purge_after ON runs (purge_after) WHERE purge_after IS NOT NULL;
CREATE INDEX experiments_purge_after ON experiments (purge_after) WHERE purge_after IS NOT NULL;
