//! The lists of models, experiments and environments read a workspace's rows through an index
//! in name order, whatever the search, stage or page: never the whole table, never sorted.
//! (Runs, compute, data assets, endpoints and pipelines have their checks beside their tests.)

use atelier::domain::listing::Cursor;
use atelier::domain::ModelStage;
use atelier::server::db::models::ModelFilter;
use atelier::server::db::{environments, experiments, models, Backend};

use crate::helpers::app_with_workspace;

/// Fails when `plan` reads all of `table` or sorts every row it found (a sort of the rows tied
/// on the index's key, SQLite's "RIGHT PART OF ORDER BY" or Postgres's incremental sort, is
/// bounded by the page).
pub(crate) fn assert_indexed(backend: Backend, table: &str, what: &str, plan: &[String]) {
    let text = plan.join("\n");
    let full_scan = match backend {
        Backend::Sqlite => plan.iter().any(|l| {
            let step = l.trim_start();
            step.starts_with(&format!("SCAN {table}"))
                || step.starts_with(&format!("SCAN {table} "))
        }),
        Backend::Postgres => text.contains(&format!("Seq Scan on {table}")),
    };
    assert!(!full_scan, "{what}: reads the whole {table} table:\n{text}");
    let sorts = match backend {
        Backend::Sqlite => text.contains("TEMP B-TREE FOR ORDER BY"),
        Backend::Postgres => text
            .lines()
            // A Sort node, not an incremental sort's "Sort Key" line.
            .any(|l| l.trim_start().trim_start_matches("->").trim_start().starts_with("Sort  (")),
    };
    assert!(!sorts, "{what}: sorts instead of reading in index order:\n{text}");
}

#[tokio::test]
async fn model_experiment_and_environment_lists_read_through_indexes() {
    let (app, _ada) = app_with_workspace().await;
    let backend = Backend::of(&app.database_url);
    let mut conn = app.state.pool.acquire().await.unwrap();
    let tenant: (i64, i64) = {
        let row = sqlx::query("SELECT organization_id, id FROM workspaces")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        (sqlx::Row::get(&row, 0), sqlx::Row::get(&row, 1))
    };
    // A workspace at size (20,000 of each), with the statistics the planner reads: an empty
    // table is planned differently.
    let rows = [
        ("models", "created_at, updated_at", "i, i"),
        ("experiments", "created_at, updated_at", "i, i"),
        ("environments", "created_at, version, base_image", "i, 1, 'python:3.11'"),
    ];
    for (table, columns, values) in rows {
        let insert = format!(
            "INSERT INTO {table} (organization_id, workspace_id, name, name_key, created_by_name, \
             {columns}) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
             SELECT $1, $2, 'item-' || i, 'item-' || i, 'Ada', {values} FROM n"
        );
        sqlx::query(&insert).bind(tenant.0).bind(tenant.1).execute(&mut *conn).await.unwrap();
    }
    // Every model has a version and one in four is in production, so a stage filter is planned
    // against versions as a registry holds them (against none, a semi-join from the versions is
    // the cheapest plan and says nothing about scale).
    let versions = "INSERT INTO model_versions \
         (organization_id, workspace_id, model_id, version, stage, created_by_name, created_at) \
         SELECT organization_id, workspace_id, id, 1, \
                CASE WHEN id % 4 = 0 THEN 'Production' ELSE 'None' END, 'Ada', 1 \
         FROM models";
    sqlx::Executor::execute(&mut *conn, versions).await.unwrap();
    sqlx::Executor::execute(&mut *conn, "ANALYZE").await.unwrap();
    if backend == Backend::Postgres {
        // An empty table is cheapest to scan; forbid that to see which index the query can use.
        sqlx::Executor::execute(&mut *conn, "SET enable_seqscan = off").await.unwrap();
    }
    let base = ModelFilter { limit: 51, ..ModelFilter::default() };
    let model_filters = [
        ("all", base.clone()),
        ("search", ModelFilter { search: Some("churn".into()), ..base.clone() }),
        ("stage", ModelFilter { stage: Some(ModelStage::Production), ..base.clone() }),
        ("page", ModelFilter { after: Some(Cursor::Name("m".into())), ..base.clone() }),
    ];
    for (what, filter) in model_filters {
        let plan = models::plan_of_list(&mut conn, backend, tenant, &filter).await.unwrap();
        assert_indexed(backend, "models", &format!("models, {what}"), &plan);
    }
    let m = Cursor::Name("m".into());
    let pages =
        [("all", (None, None)), ("search", (Some("mnist"), None)), ("page", (None, Some(&m)))];
    for (what, (search, after)) in pages {
        let plan =
            experiments::plan_of_list(&mut conn, backend, tenant, (search, after)).await.unwrap();
        assert_indexed(backend, "experiments", &format!("experiments, {what}"), &plan);
        let plan =
            environments::plan_of_list(&mut conn, backend, tenant, (search, after)).await.unwrap();
        assert_indexed(backend, "environments", &format!("environments, {what}"), &plan);
    }
}
