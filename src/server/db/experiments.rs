//! Experiments: named groups of runs in a workspace. Every function takes the caller's proof
//! for the workspace and reads or writes only that workspace's rows.

use serde_json::json;
use sqlx::Row;

use super::audit::{record_in_workspace as record, Actor};
use super::pairs::{pairs_from_json, pairs_to_json};
use super::scopes::WorkspaceScope;
use super::statement::{bind_all, Arg, Order, Statement, NAME_DESCRIPTION_TAGS};
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::listing::{Cursor, PAGE_READ};
use crate::domain::{Description, ExperimentName, Tags};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct ExperimentRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<(String, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub run_count: i64,
    pub last_run_at: Option<i64>,
    /// When it was deleted through the tracking API (restorable until purged); the studio
    /// never reads deleted experiments.
    pub deleted_at: Option<i64>,
    /// When a deleted experiment is removed for good.
    pub purge_after: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("the experiment name is taken")]
    NameTaken,
    /// The name belongs to an experiment deleted through the tracking API, restorable until
    /// `purge_after` (epoch seconds).
    #[error("the experiment name is held by a deleted experiment")]
    NameHeldByDeleted { purge_after: i64 },
    #[error("no such experiment")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub(super) const COLUMNS: &str =
    "id, name, description, tags, created_by_name, created_at, updated_at, \
                       run_count, last_run_at, deleted_at, purge_after";

pub(super) fn from_row(row: &sqlx::any::AnyRow) -> Result<ExperimentRecord, sqlx::Error> {
    Ok(ExperimentRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        tags: pairs_from_json(&row.try_get::<String, _>("tags")?),
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        run_count: row.try_get("run_count")?,
        last_run_at: row.try_get("last_run_at")?,
        deleted_at: row.try_get("deleted_at")?,
        purge_after: row.try_get("purge_after")?,
    })
}

/// A page of experiments in name order, after `after`, optionally only those whose name,
/// description or tags contain `search`.
pub async fn list(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    search: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<ExperimentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let (sql, args) = list_statement((org, ws_id), search, after, limit);
    bind_all(sqlx::query(&sql), args).fetch_all(pool).await?.iter().map(from_row).collect()
}

fn list_statement(
    tenant: (i64, i64),
    search: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> (String, Vec<Arg>) {
    let mut st = Statement::in_workspace("experiments", tenant);
    st.condition("deleted_at IS NULL".to_owned());
    st.search(search, &NAME_DESCRIPTION_TAGS);
    let select = format!("SELECT {COLUMNS} FROM experiments");
    st.keyset_page(&select, &Order::BY_NAME, after, limit)
}

/// The plan the database picks for `list` (see `statement::plan`).
pub async fn plan_of_list(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    tenant: (i64, i64),
    (search, after): (Option<&str>, Option<&Cursor>),
) -> Result<Vec<String>, sqlx::Error> {
    let (sql, args) = list_statement(tenant, search, after, PAGE_READ);
    super::statement::plan(conn, backend, &sql, args).await
}

pub async fn get(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<ExperimentRecord>, sqlx::Error> {
    find(pool, ws, name, "AND deleted_at IS NULL").await
}

/// An experiment of the workspace, deleted or not (the tracking API shows deleted ones as
/// such).
pub async fn get_including_deleted(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
) -> Result<Option<ExperimentRecord>, sqlx::Error> {
    find(pool, ws, name, "").await
}

async fn find(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    name: &str,
    deleted: &str,
) -> Result<Option<ExperimentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM experiments \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3 {deleted}"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// How many experiments and runs the workspace holds, for its overview.
pub async fn counts(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
) -> Result<(i64, i64), sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        // Postgres sums BIGINTs as NUMERIC: cast back so both backends return an integer.
        "SELECT COUNT(*) AS experiments, CAST(COALESCE(SUM(run_count), 0) AS BIGINT) AS runs \
         FROM experiments \
         WHERE organization_id = $1 AND workspace_id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(ws_id)
    .fetch_one(pool)
    .await?;
    Ok((row.try_get("experiments")?, row.try_get("runs")?))
}

pub struct ExperimentFields<'a> {
    pub name: &'a ExperimentName,
    pub description: &'a Description,
    pub tags: &'a Tags,
}

pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    fields: &ExperimentFields<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO experiments (organization_id, workspace_id, name, name_key, description, tags, \
         created_by, created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(fields.name.as_str())
    .bind(fields.name.key())
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await;
    if let Err(sqlx::Error::Database(d)) = &inserted {
        if d.is_unique_violation() {
            drop(tx);
            return Err(taken(pool, ws, fields.name.as_str()).await);
        }
    }
    inserted?;
    record(
        &mut tx,
        ws,
        actor,
        Action::ExperimentsWrite,
        fields.name.as_str(),
        json!({"created": true}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes an experiment's description and tags (its name is its identity, as in Azure).
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    fields: &ExperimentFields<'_>,
) -> Result<(), ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let changed = sqlx::query(
        "UPDATE experiments SET description = $1, tags = $2, updated_at = $3 \
         WHERE organization_id = $4 AND workspace_id = $5 AND name_key = $6 \
           AND deleted_at IS NULL",
    )
    .bind(fields.description.as_str())
    .bind(pairs_to_json(fields.tags.pairs()))
    .bind(now())
    .bind(org)
    .bind(ws_id)
    .bind(fields.name.key())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ChangeError::NotFound);
    }
    record(
        &mut tx,
        ws,
        actor,
        Action::ExperimentsWrite,
        fields.name.as_str(),
        json!({"updated": true}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an experiment with all its runs, their metrics, logs and output records, in one
/// transaction; model versions registered from those runs stay, no longer linked to a run.
/// Returns the deleted runs' ids, whose files the caller removes.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    name: &str,
) -> Result<Vec<String>, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let row = sqlx::query(
        "SELECT id, name, run_count FROM experiments \
         WHERE organization_id = $1 AND workspace_id = $2 AND name_key = $3 \
           AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(ws_id)
    .bind(name.to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::NotFound)?;
    let (id, name, runs): (i64, String, i64) =
        (row.try_get("id")?, row.try_get("name")?, row.try_get("run_count")?);
    let run_names = remove_rows(&mut tx, org, id).await?;
    record(&mut tx, ws, actor, Action::ExperimentsDelete, &name, json!({ "runs": runs })).await?;
    tx.commit().await?;
    Ok(run_names)
}

/// Removes experiment `id` with all its runs and what is recorded about them (not their
/// files); returns the runs' ids, whose files the caller removes.
pub(super) async fn remove_rows(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let run_names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM runs WHERE experiment_id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let runs_of_experiment =
        "SELECT id FROM runs WHERE experiment_id = $2 AND organization_id = $1";
    super::model_versions::detach_runs(tx, org, runs_of_experiment, id).await?;
    let in_experiment = "SELECT id FROM runs WHERE experiment_id = $1 AND organization_id = $2";
    for table in super::workspace_contents::RUN_TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE run_id IN ({in_experiment})"))
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM runs WHERE experiment_id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM experiments WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    Ok(run_names)
}

/// Why a name is taken: by a live experiment, or by one deleted through the tracking API.
async fn taken(pool: &Pool, ws: &Authorized<WorkspaceScope>, name: &str) -> ChangeError {
    match get_including_deleted(pool, ws, name).await {
        Ok(Some(ExperimentRecord { purge_after: Some(purge_after), .. })) => {
            ChangeError::NameHeldByDeleted { purge_after }
        }
        Ok(_) => ChangeError::NameTaken,
        Err(e) => e.into(),
    }
}
