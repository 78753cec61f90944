//! Everything a workspace holds, removed when the workspace is purged. Each new kind of asset
//! adds its tables here, children before parents.

/// Tables keyed by run: emptied for a run deleted alone, with its experiment, or with the
/// workspace. A logged model is keyed by its source run, whose outputs hold its files; the
/// rows of other runs that name it as an output go with it (ON DELETE CASCADE).
pub(super) const RUN_TABLES: [&str; 10] = [
    "run_model_outputs",
    "logged_models",
    "run_metrics",
    "run_metric_summaries",
    "run_params",
    "run_tags",
    "run_logs",
    "run_outputs",
    "run_snapshot_files",
    "run_snapshots",
];
/// Tables keyed by workspace, in the order their rows may be deleted (deployments refer to
/// model versions, which refer to runs, so endpoints go first, then models; data asset versions
/// refer to datastores, as model versions' files do). Access tokens that reach only this
/// workspace go with it.
const WORKSPACE_TABLES: [&str; 17] = [
    "access_tokens",
    "endpoint_deployments",
    "endpoints",
    "dataset_versions",
    "datasets",
    "model_version_files",
    "model_aliases",
    "model_versions",
    "models",
    "runs",
    "experiments",
    "datastores",
    "environments",
    "computes",
    "pipeline_run_steps",
    "pipeline_runs",
    "pipelines",
];

pub(super) async fn delete_all(
    tx: &mut sqlx::AnyConnection,
    organization_id: i64,
    workspace_id: i64,
) -> Result<(), sqlx::Error> {
    for table in RUN_TABLES {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE organization_id = $1 AND run_id IN \
             (SELECT id FROM runs WHERE organization_id = $1 AND workspace_id = $2)"
        ))
        .bind(organization_id)
        .bind(workspace_id)
        .execute(&mut *tx)
        .await?;
    }
    for table in WORKSPACE_TABLES {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE organization_id = $1 AND workspace_id = $2"
        ))
        .bind(organization_id)
        .bind(workspace_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
