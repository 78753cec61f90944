//! Deployments of an online endpoint: the model version each serves, its instances, its share
//! of the endpoint's traffic and whether it runs. Every change locks the endpoint first (see
//! `endpoints::lock`), keeps the traffic rules, refreshes the endpoint's derived state and is
//! audited under the endpoint's name, in one transaction.

use serde_json::json;
use sqlx::Row;

use super::audit::record_in_workspace as record;
use super::audit::Actor;
use super::endpoints::{decode, lock, refresh_state, ChangeError};
use super::models::stage_from;
use super::scopes::WorkspaceScope;
use super::{now, tenant, Pool};
use crate::authz::Action;
use crate::domain::compute::VmSize;
use crate::domain::endpoint::{check_traffic, DeploymentAction, DeploymentState};
use crate::domain::{DeploymentName, ModelStage};
use crate::server::authz::proof::Authorized;

#[derive(Clone, Debug)]
pub struct DeploymentRecord {
    pub name: String,
    pub model: String,
    pub model_version: i64,
    /// The served version's stage now (it may have been archived since it was deployed).
    pub model_stage: ModelStage,
    pub instance_type: String,
    pub instance_count: i64,
    pub traffic_percent: i64,
    pub state: DeploymentState,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "d.name, m.name AS model, v.version, v.stage, d.instance_type, \
     d.instance_count, d.traffic_percent, d.state, d.created_by_name, d.created_at, d.updated_at";
const FROM: &str = "endpoint_deployments d JOIN model_versions v ON v.id = d.model_version_id \
     JOIN models m ON m.id = v.model_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<DeploymentRecord, sqlx::Error> {
    Ok(DeploymentRecord {
        name: row.try_get("name")?,
        model: row.try_get("model")?,
        model_version: row.try_get("version")?,
        model_stage: stage_from(&row.try_get::<String, _>("stage")?)?,
        instance_type: row.try_get("instance_type")?,
        instance_count: row.try_get("instance_count")?,
        traffic_percent: row.try_get("traffic_percent")?,
        state: decode(DeploymentState::parse(&row.try_get::<String, _>("state")?))?,
        created_by: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// An endpoint's deployments, by name.
pub async fn for_endpoint(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    endpoint_id: i64,
) -> Result<Vec<DeploymentRecord>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM} \
         WHERE d.organization_id = $1 AND d.workspace_id = $2 AND d.endpoint_id = $3 \
         ORDER BY d.name_key"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(endpoint_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// A deployment serving a version of a model, for the model's page.
#[derive(Clone, Debug)]
pub struct Serving {
    pub endpoint: String,
    pub deployment: DeploymentRecord,
}

/// The deployments serving any version of the model, by endpoint and deployment name.
pub async fn serving_model(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    model_id: i64,
) -> Result<Vec<Serving>, sqlx::Error> {
    let (org, ws_id) = tenant(ws);
    sqlx::query(&format!(
        "SELECT e.name AS endpoint, {COLUMNS} FROM {FROM} JOIN endpoints e ON e.id = d.endpoint_id \
         WHERE v.organization_id = $1 AND v.workspace_id = $2 AND v.model_id = $3 \
         ORDER BY e.name_key, d.name_key"
    ))
    .bind(org)
    .bind(ws_id)
    .bind(model_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| Ok(Serving { endpoint: row.try_get("endpoint")?, deployment: from_row(row)? }))
    .collect()
}

/// A deployment that serves a version of the model (`version`, or any), inside the
/// transaction deleting it: (endpoint, deployment, version).
pub(super) async fn first_serving(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    model_id: i64,
    version: Option<i64>,
) -> Result<Option<(String, String, i64)>, sqlx::Error> {
    let one_version = if version.is_some() { " AND v.version = $3" } else { "" };
    let sql = format!(
        "SELECT e.name AS endpoint, d.name AS deployment, v.version \
         FROM endpoint_deployments d JOIN model_versions v ON v.id = d.model_version_id \
         JOIN endpoints e ON e.id = d.endpoint_id \
         WHERE v.organization_id = $1 AND v.model_id = $2{one_version} \
         ORDER BY e.name_key, d.name_key LIMIT 1"
    );
    let mut query = sqlx::query(&sql).bind(org).bind(model_id);
    if let Some(version) = version {
        query = query.bind(version);
    }
    query
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| {
            Ok((row.try_get("endpoint")?, row.try_get("deployment")?, row.try_get("version")?))
        })
        .transpose()
}

/// What a deployment serves and on what.
pub struct DeploymentSpec<'a> {
    /// The model's name and version number in the workspace.
    pub model: (&'a str, i64),
    pub instance_type: &'a VmSize,
    pub instance_count: i64,
}

/// The model version's id, refusing unknown and archived versions.
async fn model_version_id(
    tx: &mut sqlx::AnyConnection,
    ws: &Authorized<WorkspaceScope>,
    (model, version): (&str, i64),
) -> Result<i64, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let row = sqlx::query(
        "SELECT v.id, v.stage, m.name FROM model_versions v JOIN models m ON m.id = v.model_id \
         WHERE m.organization_id = $1 AND m.workspace_id = $2 AND m.name_key = $3 \
           AND v.version = $4",
    )
    .bind(org)
    .bind(ws_id)
    .bind(model.trim().to_ascii_lowercase())
    .bind(version)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::ModelVersionNotFound)?;
    if stage_from(&row.try_get::<String, _>("stage")?)? == ModelStage::Archived {
        return Err(ChangeError::ArchivedVersion(row.try_get("name")?, version));
    }
    Ok(row.try_get("id")?)
}

/// How many of the endpoint's deployments run, other than the one named `except` (a key).
async fn others_running(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    endpoint_id: i64,
    except: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM endpoint_deployments \
         WHERE organization_id = $1 AND endpoint_id = $2 AND state = 'succeeded' \
           AND name_key <> $3",
    )
    .bind(org)
    .bind(endpoint_id)
    .bind(except)
    .fetch_one(&mut *tx)
    .await
}

/// Adds a deployment to an endpoint, succeeded. The endpoint's first running deployment takes
/// all the traffic; later ones join with none, until the traffic is split anew.
pub async fn create(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    endpoint: &str,
    name: &DeploymentName,
    spec: &DeploymentSpec<'_>,
) -> Result<i64, ChangeError> {
    let (org, ws_id) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (endpoint_id, endpoint) = lock(&mut tx, ws, endpoint).await?;
    let version_id = model_version_id(&mut tx, ws, spec.model).await?;
    let traffic =
        if others_running(&mut tx, org, endpoint_id, &name.key()).await? == 0 { 100 } else { 0 };
    let at = now();
    sqlx::query(
        "INSERT INTO endpoint_deployments (organization_id, workspace_id, endpoint_id, name, \
         name_key, model_version_id, instance_type, instance_count, traffic_percent, state, \
         created_by_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(org)
    .bind(ws_id)
    .bind(endpoint_id)
    .bind(name.as_str())
    .bind(name.key())
    .bind(version_id)
    .bind(spec.instance_type.name)
    .bind(spec.instance_count)
    .bind(traffic)
    .bind(DeploymentState::Succeeded.as_str())
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ChangeError::DeploymentNameTaken,
        e => e.into(),
    })?;
    refresh_state(&mut tx, org, endpoint_id).await?;
    let details = json!({
        "deployment": name.as_str(),
        "created": true,
        "model": spec.model.0,
        "version": spec.model.1,
        "traffic": traffic,
    });
    record(&mut tx, ws, actor, Action::EndpointsWrite, &endpoint, details).await?;
    tx.commit().await?;
    Ok(traffic)
}

/// The deployment's id, stored name, state and traffic, inside the endpoint's transaction.
async fn find(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    endpoint_id: i64,
    name: &str,
) -> Result<(i64, String, DeploymentState, i64), ChangeError> {
    let row = sqlx::query(
        "SELECT id, name, state, traffic_percent FROM endpoint_deployments \
         WHERE organization_id = $1 AND endpoint_id = $2 AND name_key = $3",
    )
    .bind(org)
    .bind(endpoint_id)
    .bind(name.trim().to_ascii_lowercase())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ChangeError::DeploymentNotFound)?;
    let state = decode(DeploymentState::parse(&row.try_get::<String, _>("state")?))?;
    Ok((row.try_get("id")?, row.try_get("name")?, state, row.try_get("traffic_percent")?))
}

/// Changes what a deployment serves and on what; its traffic and state stay.
pub async fn update(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (endpoint, deployment): (&str, &str),
    spec: &DeploymentSpec<'_>,
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (endpoint_id, endpoint) = lock(&mut tx, ws, endpoint).await?;
    let (id, name, ..) = find(&mut tx, org, endpoint_id, deployment).await?;
    let version_id = model_version_id(&mut tx, ws, spec.model).await?;
    sqlx::query(
        "UPDATE endpoint_deployments SET model_version_id = $1, instance_type = $2, \
         instance_count = $3, updated_at = $4 WHERE id = $5 AND organization_id = $6",
    )
    .bind(version_id)
    .bind(spec.instance_type.name)
    .bind(spec.instance_count)
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    let details = json!({
        "deployment": name,
        "updated": true,
        "model": spec.model.0,
        "version": spec.model.1,
        "instance_type": spec.instance_type.name,
        "instance_count": spec.instance_count,
    });
    record(&mut tx, ws, actor, Action::EndpointsWrite, &endpoint, details).await?;
    tx.commit().await?;
    Ok(())
}

/// The message for a deployment that still takes traffic.
fn takes_traffic(name: &str, percent: i64) -> ChangeError {
    ChangeError::State(format!(
        "{name} still receives {percent}% of the traffic; move its traffic to another running \
         deployment first (Set traffic)."
    ))
}

/// Starts or stops a deployment. A stopped deployment serves nothing: one still receiving
/// traffic is stopped only when it is the endpoint's last running deployment (the endpoint
/// then serves nothing); one started when nothing else runs takes all the traffic.
pub async fn set_state(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (endpoint, deployment): (&str, &str),
    action: DeploymentAction,
) -> Result<DeploymentState, ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (endpoint_id, endpoint) = lock(&mut tx, ws, endpoint).await?;
    let (id, name, current, traffic) = find(&mut tx, org, endpoint_id, deployment).await?;
    let next = current.after(action).map_err(|e| ChangeError::State(e.0))?;
    let others = others_running(&mut tx, org, endpoint_id, &name.to_ascii_lowercase()).await?;
    let traffic = match action {
        DeploymentAction::Stop if traffic > 0 && others > 0 => {
            return Err(takes_traffic(&name, traffic))
        }
        DeploymentAction::Stop => 0,
        DeploymentAction::Start if others == 0 => 100,
        DeploymentAction::Start => 0,
    };
    sqlx::query(
        "UPDATE endpoint_deployments SET state = $1, traffic_percent = $2, updated_at = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(next.as_str())
    .bind(traffic)
    .bind(now())
    .bind(id)
    .bind(org)
    .execute(&mut *tx)
    .await?;
    refresh_state(&mut tx, org, endpoint_id).await?;
    let details = json!({
        "deployment": name,
        "from": current.as_str(),
        "to": next.as_str(),
        "traffic": traffic,
    });
    record(&mut tx, ws, actor, Action::EndpointsWrite, &endpoint, details).await?;
    tx.commit().await?;
    Ok(next)
}

/// Deletes a deployment. One that still receives traffic goes only when it is the endpoint's
/// only deployment: otherwise its traffic must move first, so the split keeps adding up.
pub async fn delete(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    (endpoint, deployment): (&str, &str),
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (endpoint_id, endpoint) = lock(&mut tx, ws, endpoint).await?;
    let (id, name, _, traffic) = find(&mut tx, org, endpoint_id, deployment).await?;
    let all: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM endpoint_deployments WHERE organization_id = $1 AND endpoint_id = $2",
    )
    .bind(org)
    .bind(endpoint_id)
    .fetch_one(&mut *tx)
    .await?;
    if traffic > 0 && all > 1 {
        return Err(takes_traffic(&name, traffic));
    }
    sqlx::query("DELETE FROM endpoint_deployments WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    refresh_state(&mut tx, org, endpoint_id).await?;
    let details = json!({ "deployment": name, "deleted": true });
    record(&mut tx, ws, actor, Action::EndpointsDelete, &endpoint, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the traffic of the named deployments (others keep theirs), checking the whole split:
/// whole percentages, nothing to stopped deployments, exactly 100 in all while one runs.
pub async fn set_traffic(
    pool: &Pool,
    ws: &Authorized<WorkspaceScope>,
    actor: &Actor,
    endpoint: &str,
    shares: &[(String, i64)],
) -> Result<(), ChangeError> {
    let (org, _) = tenant(ws);
    let mut tx = super::begin(pool).await?;
    let (endpoint_id, endpoint) = lock(&mut tx, ws, endpoint).await?;
    let rows = sqlx::query(
        "SELECT id, name, state, traffic_percent FROM endpoint_deployments \
         WHERE organization_id = $1 AND endpoint_id = $2 ORDER BY name_key",
    )
    .bind(org)
    .bind(endpoint_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut split: Vec<(i64, String, i64, DeploymentState)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let state = decode(DeploymentState::parse(&row.try_get::<String, _>("state")?))?;
        split.push((
            row.try_get("id")?,
            row.try_get("name")?,
            row.try_get("traffic_percent")?,
            state,
        ));
    }
    for (name, percent) in shares {
        let entry = split
            .iter_mut()
            .find(|(_, stored, ..)| stored.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                ChangeError::Traffic(format!("This endpoint has no deployment named {name}."))
            })?;
        entry.2 = *percent;
    }
    let check: Vec<(&str, i64, DeploymentState)> =
        split.iter().map(|(_, name, percent, state)| (name.as_str(), *percent, *state)).collect();
    check_traffic(&check).map_err(|e| ChangeError::Traffic(e.0))?;
    let at = now();
    for (id, _, percent, _) in &split {
        sqlx::query(
            "UPDATE endpoint_deployments SET traffic_percent = $1, updated_at = $2 \
             WHERE id = $3 AND organization_id = $4 AND traffic_percent <> $1",
        )
        .bind(percent)
        .bind(at)
        .bind(id)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    let traffic: serde_json::Map<String, serde_json::Value> =
        split.iter().map(|(_, name, percent, _)| (name.clone(), json!(percent))).collect();
    record(&mut tx, ws, actor, Action::EndpointsWrite, &endpoint, json!({ "traffic": traffic }))
        .await?;
    tx.commit().await?;
    Ok(())
}
