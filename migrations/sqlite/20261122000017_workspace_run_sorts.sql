-- Runs lists page through (key, id) pairs, one index per filter and sort they offer.
-- "Newest" and "Oldest" now order by creation time (so a date range and the order come off one
-- index): the filters' indexes follow, and the workspace's list sorts by name and duration too.
-- Measured with `seed-demo --scale 1000000`: a date range or a name sort over the workspace
-- read and sorted every run (0.9 to 2.2 s); through these, a page is a few milliseconds.
DROP INDEX runs_workspace_status;
DROP INDEX runs_workspace_user;
DROP INDEX runs_experiment;
DROP INDEX runs_experiment_status;
CREATE INDEX runs_workspace_status ON runs (workspace_id, status, created_at, id);
CREATE INDEX runs_workspace_user ON runs (workspace_id, user_id, created_at, id);
CREATE INDEX runs_experiment ON runs (experiment_id, created_at, id);
CREATE INDEX runs_experiment_status ON runs (experiment_id, status, created_at, id);
CREATE INDEX runs_workspace_name ON runs (workspace_id, display_key, id);
CREATE INDEX runs_workspace_duration ON runs (workspace_id, duration, id);
